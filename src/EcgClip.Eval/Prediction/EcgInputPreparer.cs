using System.Globalization;
using EcgClip.Signal.Dsp.Normalization;
using EcgClip.Signal.Dsp.Preprocessing;
using EcgClip.Signal.Records;

namespace EcgClip.Eval.Prediction;

/// <summary>
/// Turns any record a reader returns (WFDB, MUSE, Philips, aECG, ...) into exactly what the model was trained on: leads
/// mapped by name to the encoder's order (limb leads derived from I and II where a file stores only 8), units in mV,
/// amplitudes rounded to <see cref="EcgInputOptions.InputResolutionMv"/>, resampled to the model's rate, the model's stored preprocessing applied to the whole record, then cut into the model's
/// window length (longer records: evenly spaced windows covering all of it, scores averaged by the caller; shorter ones:
/// zero-padded at the end up to <see cref="EcgInputOptions.MaxPaddingFraction"/>). Every step is reported. Thread-safe.
/// </summary>
public sealed class EcgInputPreparer
{
    private readonly EcgInputOptions _options;
    private readonly PreprocessingPipeline _model;
    private readonly int[] _leadIndex;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<double, PreprocessingPipeline> _resamplers = new(); // one per input rate: the filter design is not per record

    /// <summary>Creates the preparer; throws <see cref="ArgumentException"/> for invalid options.</summary>
    public EcgInputPreparer(EcgInputOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException("invalid input options: " + string.Join("; ", errors), nameof(options));
        _options = options;
        _model = new PreprocessingPipeline(options.Preprocessing);
        _leadIndex = options.Leads.Select(name => LeadNames.TryParse(name, out var lead)
            ? (int)lead
            : throw new ArgumentException($"the model's lead '{name}' is not one of the 12 standard leads", nameof(options))).ToArray();
    }

    /// <summary>The options the preparer applies.</summary>
    public EcgInputOptions Options => _options;

    /// <summary>Prepares one record; throws <see cref="EcgInputException"/> naming the file when it cannot be used.</summary>
    public PreparedEcg Prepare(EcgRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        string source = record.SourcePath ?? record.Name;
        var steps = new List<string>();
        EcgRecord canonical;
        try { canonical = EcgLeadLayout.ToCanonical12(record, deriveLimbLeads: true); }
        catch (EcgFormatException e) { throw new EcgInputException(source, e.Reason, e); }
        var present = record.Channels.Where(c => c.Lead is not null).Select(c => c.Lead!.Value).ToHashSet();
        var derived = _leadIndex.Where(k => !present.Contains((Lead)k)).Select(k => LeadNames.Canonical12[k]).ToList();
        steps.Add(derived.Count == 0
            ? $"leads mapped by name to {string.Join(",", _options.Leads)}"
            : $"leads mapped by name; {string.Join(", ", derived)} derived from I and II");

        int leads = _leadIndex.Length, n = canonical.SampleCount;
        double fs = canonical.SamplingRate, modelFs = _options.Preprocessing.SamplingRateHz;
        if (n == 0) throw new EcgInputException(source, "the record has no samples");
        var x = new float[(long)leads * n];
        int repaired = 0;
        double step = _options.InputResolutionMv, inverse = step > 0 ? 1.0 / step : 0;
        for (int l = 0; l < leads; l++)
        {
            var channel = canonical.Channels[_leadIndex[l]];
            double scale = ToMillivolts(source, channel.Units);
            if (l == 0 && scale != 1) steps.Add($"units {channel.Units} converted to mV");
            var dst = x.AsSpan(l * n, n);
            var src = channel.Physical;
            if (step > 0)
                for (int t = 0; t < n; t++) dst[t] = (float)(Math.Round(src[t] * scale * inverse, MidpointRounding.AwayFromZero) / inverse); // NaN stays NaN; for 1 µV, d / 1000 exactly as WFDB converts
            else
                for (int t = 0; t < n; t++) dst[t] = (float)(src[t] * scale);
            repaired += NonFinite.Repair(dst, NonFiniteRepair.Interpolate);
        }
        if (repaired > 0) steps.Add($"{repaired} missing (non-finite) samples interpolated");
        if (step > 0) steps.Add(string.Create(CultureInfo.InvariantCulture, $"amplitudes rounded to {step * 1000:0.###} µV"));

        if (fs != modelFs)
        {
            var resample = _resamplers.GetOrAdd(fs, rate => new PreprocessingPipeline(new PreprocessingConfig { SamplingRateHz = rate, ResampleHz = modelFs }));
            x = Run(resample, x, leads, ref n, source);
            steps.Add(string.Create(CultureInfo.InvariantCulture, $"resampled {fs:0.###} Hz → {modelFs:0.###} Hz (polyphase)"));
        }
        if (n < _model.MinimumInputLength)
            throw new EcgInputException(source, string.Create(CultureInfo.InvariantCulture,
                $"too short: {n / modelFs:0.##} s; the preprocessing filters need more than {_model.MinimumInputLength / modelFs:0.##} s"));
        x = Run(_model, x, leads, ref n, source);
        steps.Add("the model's stored preprocessing applied to the whole record");
        return Window(source, x, leads, n, steps);
    }

    private PreparedEcg Window(string source, float[] x, int leads, int n, List<string> steps)
    {
        int length = _options.Samples;
        double rate = _model.OutputSamplingRateHz;
        if (n < length)
        {
            if (length - n > _options.MaxPaddingFraction * length)
                throw new EcgInputException(source, string.Create(CultureInfo.InvariantCulture,
                    $"too short: {n / rate:0.##} s after preprocessing; the model reads {length / rate:0.##} s windows and pads at most {_options.MaxPaddingFraction:P0}"));
            var padded = new float[(long)leads * length];
            for (int l = 0; l < leads; l++) x.AsSpan(l * n, n).CopyTo(padded.AsSpan(l * length));
            steps.Add(string.Create(CultureInfo.InvariantCulture, $"zero-padded at the end by {(length - n) / rate:0.##} s ({length - n} samples)"));
            return new PreparedEcg(source, padded, 1, leads, length, steps);
        }
        int windows = (n + length - 1) / length;
        var data = new float[(long)windows * leads * length];
        var starts = new int[windows];
        for (int w = 0; w < windows; w++)
        {
            // Evenly spaced starts from 0 to n - length: every sample is covered, overlap only where n is not a multiple.
            starts[w] = windows == 1 ? 0 : (int)Math.Round((double)w * (n - length) / (windows - 1));
            for (int l = 0; l < leads; l++)
                x.AsSpan(l * n + starts[w], length).CopyTo(data.AsSpan((w * leads + l) * length));
        }
        if (windows > 1)
            steps.Add(string.Create(CultureInfo.InvariantCulture,
                $"{windows} windows of {length / rate:0.##} s (starts at {string.Join(", ", starts.Select(s => (s / rate).ToString("0.##", CultureInfo.InvariantCulture)))} s); scores averaged"));
        return new PreparedEcg(source, data, windows, leads, length, steps);
    }

    private static float[] Run(PreprocessingPipeline pipeline, float[] x, int leads, ref int n, string source)
    {
        int nOut = pipeline.OutputLength(n);
        var y = new float[(long)leads * nOut];
        try { pipeline.Process(x, y, 1, leads, n); }
        catch (ArgumentException e) { throw new EcgInputException(source, e.Message, e); }
        n = nOut;
        return y;
    }

    private static double ToMillivolts(string source, string units) => units.Trim() switch
    {
        "mV" or "mv" or "MV" or "" => 1.0,
        "uV" or "µV" or "μV" or "uv" => 1e-3,
        "V" or "v" => 1e3,
        _ => throw new EcgInputException(source, $"unknown signal units '{units}' (expected mV, µV or V)"),
    };
}
