using System.CommandLine;
using System.Globalization;
using System.Text;
using EcgClip.Cli.Infrastructure;
using EcgClip.Signal.Formats;
using EcgClip.Signal.Formats.Npy;
using EcgClip.Signal.Formats.Wfdb;
using EcgClip.Signal.Records;

namespace EcgClip.Cli.Commands;

/// <summary><c>ecgclip convert</c>: writes an ECG record's samples to .npy or .csv.</summary>
internal sealed class ConvertCommand : ICommandFactory
{
    public Command Create()
    {
        var input = new Argument<string>("file")
        {
            Description = "ECG file: a WFDB header (.hea), record path without extension or .dat; a PhysioNet/CinC .mat (beside its .hea); GE MUSE, Philips or HL7 aECG XML.",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Output file. '.npy': float64 [samples, channels] in physical units (mV), or int32 with --digital. '.csv': a header row of channel names, then one row per sample and one column per channel (invalid samples: NaN, or the stored invalid value with --digital).",
            Required = true,
        };
        var physical = new Option<bool>("--physical") { Description = "Write physical values (mV or the channel's units; invalid samples are NaN). The default." };
        var digital = new Option<bool>("--digital") { Description = "Write the stored integer (ADC) values, losslessly; invalid samples keep the format's invalid value (e.g. -32768 for format 16, -2048 for 212)." };
        var from = new Option<long>("--from") { Description = "First sample, 0-based, inclusive.", DefaultValueFactory = _ => 0 };
        var to = new Option<long?>("--to") { Description = "End sample, 0-based, exclusive (default: end of record). Must be greater than --from." };
        var channels = new Option<string?>("--channels", "-c") { Description = "Comma-separated channel indices (0-based, file order) or names, in output order, e.g. '0,3' or 'I,V1'. Default: all." };
        var highRes = new Option<bool>("--high-resolution", "-H", "--high-res") { Description = "WFDB records with several samples per frame: output at the highest rate, repeating slower signals (as 'rdsamp -H'). Default: one sample per frame, averaging faster signals (as 'rdsamp')." };
        var canonical = new Option<bool>("--canonical12") { Description = "Output the 12 standard leads in canonical order (I, II, III, aVR, aVL, aVF, V1–V6), deriving III/aVR/aVL/aVF from I and II when absent; --channels then indexes that order." };
        var checksums = new Option<string>("--checksums") { Description = "WFDB checksum mismatch: 'error' (default, exit 2), 'warn' (message on stderr) or 'ignore'.", DefaultValueFactory = _ => "error" };
        var json = new Option<bool>("--json") { Description = "Print one JSON line summarising what was written." };
        var cmd = new Command("convert",
            "Convert an ECG record (WFDB, PhysioNet/CinC .mat, GE MUSE / Philips / HL7 aECG XML) to a NumPy .npy array or CSV.\n" +
            "Samples are rows, channels are columns. Examples:\n" +
            "  ecgclip convert ptbxl/records500/00000/00001_hr.hea --output x.npy\n" +
            "  ecgclip convert 100 --output v5.csv --digital --from 1 --to 10800 --channels 1")
        {
            input, output, physical, digital, from, to, channels, highRes, canonical, checksums, json,
        };
        cmd.SetAction(pr => CommandRunner.Run(pr.GetValue(json), () => Run(
            pr.GetValue(input)!, pr.GetValue(output)!, pr.GetValue(physical), pr.GetValue(digital), pr.GetValue(from), pr.GetValue(to),
            pr.GetValue(channels), pr.GetValue(highRes), pr.GetValue(canonical), pr.GetValue(checksums)!, pr.GetValue(json))));
        return cmd;
    }

    private static int Run(string input, string output, bool physical, bool digital, long from, long? to, string? channelSpec,
                           bool highRes, bool canonical, string checksumPolicy, bool json)
    {
        if (physical && digital) throw new ArgumentException("--physical and --digital are mutually exclusive");
        string ext = Path.GetExtension(output).ToLowerInvariant();
        if (ext is not (".npy" or ".csv")) throw new ArgumentException($"--output must end in .npy or .csv, got '{output}'");
        if (from < 0) throw new ArgumentException($"--from must be >= 0, got {from}");
        if (to is long t && from >= t) throw new ArgumentException($"--from ({from}) must be less than --to ({t})");
        var policy = checksumPolicy.ToLowerInvariant() switch
        {
            "error" => WfdbChecksumPolicy.Error,
            "warn" => WfdbChecksumPolicy.Warn,
            "ignore" => WfdbChecksumPolicy.Ignore,
            _ => throw new ArgumentException($"--checksums must be error, warn or ignore, got '{checksumPolicy}'"),
        };
        var (format, resolved) = EcgReader.Detect(input);
        var indices = ChannelSpec.ParseIndices(channelSpec);
        EcgRecord record;
        var warnings = new List<string>();
        bool wfdb = format is EcgFileFormat.Wfdb or EcgFileFormat.CincMat;
        if (wfdb && !canonical)
        {
            // Names need the header to map onto indices; indices go straight to the reader (reads only what is needed).
            var header = WfdbHeaderParser.ParseFile(resolved);
            int[]? sel = indices ?? ChannelSpec.Resolve(channelSpec, NamesOf(header, resolved));
            record = WfdbReader.Read(header, resolved, new WfdbReadOptions
            {
                Checksums = policy,
                Warning = warnings.Add,
                From = from,
                To = to,
                Channels = sel,
                HighResolution = highRes,
            });
        }
        else
        {
            record = wfdb
                ? WfdbReader.Read(resolved, new WfdbReadOptions { Checksums = policy, Warning = warnings.Add, HighResolution = highRes })
                : EcgReader.Read(resolved);
            if (canonical) record = EcgLeadLayout.ToCanonical12(record);
            int[]? sel = indices ?? ChannelSpec.Resolve(channelSpec, record.Channels.Select(c => c.Name).ToArray());
            record = EcgRecordSlicing.Slice(record, from, to, sel);
        }
        foreach (var w in warnings) Console.Error.WriteLine("warning: " + w);
        if (record.SampleCount == 0) throw new ArgumentException($"the selected range of '{input}' holds no samples");

        int n = record.SampleCount, m = record.Channels.Count;
        if (digital)
        {
            var missing = record.Channels.FirstOrDefault(c => c.Digital is null);
            if (missing is not null) throw new ArgumentException($"channel '{missing.Name}' of '{input}' has no stored digital values (the format stores floats or the lead is derived); use --physical");
        }
        string dir = Path.GetDirectoryName(Path.GetFullPath(output))!;
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"output folder '{dir}' does not exist");
        if (ext == ".npy")
        {
            if (digital)
            {
                var data = new int[(long)n * m];
                for (int c = 0; c < m; c++)
                {
                    var d = record.Channels[c].Digital!;
                    for (int i = 0, k = c; i < n; i++, k += m) data[k] = d[i];
                }
                NpyWriter.Write(output, data, n, m);
            }
            else
            {
                var data = new double[(long)n * m];
                for (int c = 0; c < m; c++)
                {
                    var p = record.Channels[c].Physical;
                    for (int i = 0, k = c; i < n; i++, k += m) data[k] = p[i];
                }
                NpyWriter.Write(output, data, n, m);
            }
        }
        else WriteCsv(output, record, digital);

        var summary = new
        {
            input,
            output,
            format = format.ToString().ToLowerInvariant(),
            values = digital ? "digital" : "physical",
            dtype = ext == ".npy" ? (digital ? "int32" : "float64") : "text",
            shape = new[] { n, m },
            channels = record.Channels.Select(c => c.Name).ToArray(),
            sampling_rate_hz = record.SamplingRate,
            from,
            to = from + n,
            warnings,
        };
        if (json) CliJson.WriteLine(summary);
        else Console.Out.WriteLine($"wrote {output}: {n} samples x {m} channels ({summary.values}, {summary.dtype}) at {record.SamplingRate.ToString(CultureInfo.InvariantCulture)} Hz");
        return ExitCodes.Ok;
    }

    private static string[] NamesOf(WfdbHeader header, string headerPath) =>
        WfdbReader.SignalsOf(header, headerPath).Select((s, i) => WfdbReader.ChannelName(s, i)).ToArray();

    private static void WriteCsv(string path, EcgRecord record, bool digital)
    {
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        w.NewLine = "\n";
        w.WriteLine(string.Join(",", record.Channels.Select(c => CsvField(c.Name))));
        var sb = new StringBuilder();
        int m = record.Channels.Count;
        for (int i = 0; i < record.SampleCount; i++)
        {
            sb.Clear();
            for (int c = 0; c < m; c++)
            {
                if (c > 0) sb.Append(',');
                if (digital) sb.Append(record.Channels[c].Digital![i].ToString(CultureInfo.InvariantCulture));
                else
                {
                    double v = record.Channels[c].Physical[i];
                    sb.Append(double.IsNaN(v) ? "NaN" : v == 0 ? "0" : v.ToString("R", CultureInfo.InvariantCulture));
                }
            }
            w.WriteLine(sb);
        }
    }

    private static string CsvField(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}

/// <summary>Parses <c>--channels</c> lists: indices ("0,3") or names ("I,V1", matched exactly, then as canonical leads).</summary>
internal static class ChannelSpec
{
    /// <summary>Indices when the spec is all integers, null when absent or when it names channels.</summary>
    public static int[]? ParseIndices(string? spec)
    {
        if (spec is null) return null;
        var parts = Split(spec);
        var result = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result[i]))
                return null;
            if (result[i] < 0) throw new ArgumentException($"--channels: index {result[i]} is negative");
        }
        return result;
    }

    /// <summary>Indices of the named channels in <paramref name="names"/>; null when <paramref name="spec"/> is null.</summary>
    public static int[]? Resolve(string? spec, IReadOnlyList<string> names)
    {
        if (spec is null) return null;
        var parts = Split(spec);
        var result = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            string p = parts[i];
            if (int.TryParse(p, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int idx))
            {
                if (idx < 0) throw new ArgumentException($"--channels: index {idx} is negative");
                result[i] = idx;
                continue;
            }
            int found = -1;
            for (int k = 0; k < names.Count && found < 0; k++)
                if (names[k] == p) found = k;
            if (found < 0 && LeadNames.TryParse(p, out var lead))
                for (int k = 0; k < names.Count && found < 0; k++)
                    if (LeadNames.TryParse(names[k], out var l2) && l2 == lead) found = k;
            if (found < 0)
                throw new ArgumentException($"--channels: no channel named '{p}' (channels: {string.Join(", ", names)})");
            result[i] = found;
        }
        return result;
    }

    private static string[] Split(string spec)
    {
        var parts = spec.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 0 || parts.Any(p => p.Length == 0))
            throw new ArgumentException($"--channels: '{spec}' is not a comma-separated list of channel indices or names");
        return parts;
    }
}
