using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EcgClip.Cli.Infrastructure;
using EcgClip.Signal.Dsp.Normalization;
using EcgClip.Signal.Dsp.Preprocessing;
using EcgClip.Signal.Formats.Npy;

namespace EcgClip.Cli.Commands;

/// <summary><c>ecgclip preprocess</c>: scipy-identical filtering, resampling and normalisation of a .npy batch.</summary>
internal sealed class PreprocessCommand : ICommandFactory
{
    public Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Input .npy, float32 [records, leads, samples] (float64 is accepted with --precision float64).", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Output .npy [records, leads, samples_out]: float32, or float64 with --precision float64.", Required = true };
        var fs = new Option<double>("--fs") { Description = "Sampling rate of the input in Hz.", Required = true };
        var bandpass = new Option<string?>("--bandpass") { Description = "Zero-phase Butterworth band-pass 'LO,HI' in Hz (scipy butter(order, [LO,HI], 'bandpass', output='sos') + sosfiltfilt)." };
        var highpass = new Option<double?>("--highpass") { Description = "Zero-phase Butterworth high-pass cut-off in Hz." };
        var lowpass = new Option<double?>("--lowpass") { Description = "Zero-phase Butterworth low-pass cut-off in Hz." };
        var order = new Option<int>("--order") { Description = "Butterworth order (default 4).", DefaultValueFactory = _ => 4 };
        var notch = new Option<double?>("--notch") { Description = "Notch frequency in Hz (scipy iirnotch + filtfilt), e.g. 50 or 60." };
        var notchQ = new Option<double>("--notch-q") { Description = "Notch quality factor Q (default 30).", DefaultValueFactory = _ => 30 };
        var resample = new Option<double?>("--resample") { Description = "Target rate in Hz, a whole number (scipy resample_poly with its defaults)." };
        var normalize = new Option<string>("--normalize") { Description = "zscore (per lead, (x-mean)/(std+1e-8)), minmax (per record), robust (per lead, median/IQR) or none (default).", DefaultValueFactory = _ => "none" };
        var repair = new Option<string?>("--repair-nonfinite") { Description = "Repair NaN/inf input samples per lead before filtering: 'zero' or 'interpolate' (linear). Default: refuse such input (exit 2, naming record, lead and sample)." };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default 1).", DefaultValueFactory = _ => 1 };
        var precision = new Option<string>("--precision")
        {
            Description = "float32 (default): float32 in and out, float64 arithmetic inside (max error vs scipy ~1e-6). " +
                          "float64: computes and writes float64 (matches scipy to ~1e-12).",
            DefaultValueFactory = _ => "float32",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON line: records, seconds (wall-clock compute only: no file I/O, output allocation or the two-record JIT warm-up), records_per_second, cpu_seconds (process CPU time during compute, all threads) and the pipeline." };
        var cmd = new Command("preprocess",
            "Filter, resample and normalise a batch of ECGs exactly as scipy.signal does, much faster.\n" +
            "Stages run in this order: bandpass / highpass / lowpass -> notch -> resample -> normalize.\n" +
            "Example (the usual foundation-model recipe):\n" +
            "  ecgclip preprocess --input x.npy --output y.npy --fs 500 --bandpass 0.5,40 --notch 50 --resample 250 --normalize zscore --threads 2 --json")
        {
            input, output, fs, bandpass, highpass, lowpass, order, notch, notchQ, resample, normalize, repair, threads, precision, json,
        };
        cmd.SetAction(pr => CommandRunner.Run(pr.GetValue(json), () =>
        {
            var config = new PreprocessingConfig
            {
                SamplingRateHz = pr.GetValue(fs),
                BandPass = ParseBand(pr.GetValue(bandpass)),
                HighPassHz = pr.GetValue(highpass),
                LowPassHz = pr.GetValue(lowpass),
                FilterOrder = pr.GetValue(order),
                NotchHz = pr.GetValue(notch),
                NotchQuality = pr.GetValue(notchQ),
                ResampleHz = pr.GetValue(resample),
                Normalization = ParseNormalization(pr.GetValue(normalize)!),
                RepairNonFinite = pr.GetValue(repair)?.ToLowerInvariant() switch
                {
                    null => null,
                    "zero" => NonFiniteRepair.Zero,
                    "interpolate" => NonFiniteRepair.Interpolate,
                    var other => throw new ArgumentException($"--repair-nonfinite must be zero or interpolate; got '{other}'"),
                },
            };
            return Run(pr.GetValue(input)!, pr.GetValue(output)!, config, pr.GetValue(threads), pr.GetValue(precision)!, pr.GetValue(json));
        }));
        return cmd;
    }

    /// <summary>Runs the pipeline once on the first (up to) two records so JIT compilation is not timed as compute.</summary>
    private static void WarmUp<T>(PreprocessingPipeline pipeline, T[] x, int n, int leads, int samples, int nOut, int threads)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        int records = Math.Min(n, 2);
        if (records == 0) return;
        pipeline.Process<T>(x.AsSpan(0, records * leads * samples), new T[records * leads * nOut], records, leads, samples, threads);
    }

    /// <summary>Touches every page of a fresh output array so the OS maps it before the compute timer starts (allocation is not compute).</summary>
    private static void PreFault<T>(T[] array) where T : unmanaged
    {
        int step = Math.Max(1, 4096 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        for (long i = 0; i < array.Length; i += step) array[i] = default;
    }

    private static FrequencyBand? ParseBand(string? s)
    {
        if (s is null) return null;
        var parts = s.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double lo)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double hi))
            throw new ArgumentException($"--bandpass must be 'LO,HI' in Hz, e.g. 0.5,40; got '{s}'");
        return new FrequencyBand(lo, hi);
    }

    private static NormalizationMethod ParseNormalization(string s) => s.ToLowerInvariant() switch
    {
        "zscore" => NormalizationMethod.ZScore,
        "minmax" => NormalizationMethod.MinMax,
        "robust" => NormalizationMethod.Robust,
        "none" => NormalizationMethod.None,
        _ => throw new ArgumentException($"--normalize must be zscore, minmax, robust or none; got '{s}'"),
    };

    private static int Run(string inputPath, string outputPath, PreprocessingConfig config, int threads, string precision, bool json)
    {
        if (threads < 1) throw new ArgumentException($"--threads must be at least 1, got {threads}");
        bool f64 = precision.ToLowerInvariant() switch
        {
            "float32" => false,
            "float64" => true,
            _ => throw new ArgumentException($"--precision must be float32 or float64; got '{precision}'"),
        };
        var pipeline = new PreprocessingPipeline(config);
        var array = NpyReader.Read(inputPath);
        if (array.Shape.Length != 3)
            throw new ArgumentException($"{inputPath}: expected a rank-3 array [records, leads, samples], got shape ({string.Join(", ", array.Shape)})");
        if (array.DType != NpyDType.Float32 && !(f64 && array.DType == NpyDType.Float64))
            throw new ArgumentException($"{inputPath}: expected dtype float32{(f64 ? " or float64" : "")}, got {array.DType}" +
                                        (array.DType == NpyDType.Float64 ? " (use --precision float64 for float64 input)" : ""));
        int n = array.Shape[0], leads = array.Shape[1], samples = array.Shape[2];
        if (leads < 1 || samples < 1) throw new ArgumentException($"{inputPath}: empty array of shape ({n}, {leads}, {samples})");
        int nOut = pipeline.OutputLength(samples);
        long outCount = (long)n * leads * nOut;
        if (outCount > Array.MaxLength) throw new ArgumentException($"{inputPath}: output of {outCount} values is too large");
        var sw = new Stopwatch();
        using var process = Process.GetCurrentProcess();
        TimeSpan cpuStart = default;
        if (f64)
        {
            double[] x = array.DType == NpyDType.Float64 ? array.As<double>() : array.ToDoubleArray();
            var y = new double[outCount];
            PreFault(y);
            WarmUp(pipeline, x, n, leads, samples, nOut, threads);
            cpuStart = process.TotalProcessorTime;
            sw.Start();
            pipeline.Process(x, y, n, leads, samples, threads);
            sw.Stop();
            process.Refresh();
            NpyWriter.Write(outputPath, y, n, leads, nOut);
        }
        else
        {
            float[] x = array.As<float>();
            var y = new float[outCount];
            PreFault(y);
            WarmUp(pipeline, x, n, leads, samples, nOut, threads);
            cpuStart = process.TotalProcessorTime;
            sw.Start();
            pipeline.Process(x, y, n, leads, samples, threads);
            sw.Stop();
            process.Refresh();
            NpyWriter.Write(outputPath, y, n, leads, nOut);
        }
        double seconds = sw.Elapsed.TotalSeconds;
        double cpuSeconds = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        if (json)
        {
            using var doc = JsonDocument.Parse(config.ToJson());
            CliJson.WriteLine(new
            {
                records = n,
                leads,
                samples_in = samples,
                samples_out = nOut,
                fs_in = config.SamplingRateHz,
                fs_out = pipeline.OutputSamplingRateHz,
                precision = f64 ? "float64" : "float32",
                threads,
                seconds,
                records_per_second = seconds > 0 ? n / seconds : 0,
                cpu_seconds = cpuSeconds,
                output = outputPath,
                pipeline = doc.RootElement.Clone(),
            });
        }
        else
        {
            Console.WriteLine($"{n} records x {leads} leads: {samples} -> {nOut} samples ({config.SamplingRateHz} -> {pipeline.OutputSamplingRateHz} Hz), " +
                              $"{seconds * 1000:F1} ms compute ({(seconds > 0 ? n / seconds : 0):F0} records/s, {threads} thread(s)); wrote {outputPath}");
        }
        return ExitCodes.Ok;
    }
}
