using System.Globalization;
using System.Text;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Formats.Wfdb;

/// <summary>Options for <see cref="WfdbWriter"/>.</summary>
public sealed record WfdbWriteOptions
{
    /// <summary>Storage format: 16 (default) or 212.</summary>
    public int Format { get; init; } = 16;

    /// <summary>
    /// Gain (ADC units per mV) used for channels without stored digital values; their samples are quantised as
    /// round(physical · gain). Default 1000 (1 µV resolution, as PTB-XL).
    /// </summary>
    public double DefaultGain { get; init; } = 1000;

    /// <summary>Write age/sex/labels/statements as <c>#</c> comment lines (PhysioNet/CinC style). Default true.</summary>
    public bool WriteComments { get; init; } = true;
}

/// <summary>
/// Writes an <see cref="EcgRecord"/> as a single-segment WFDB record (<c>name.hea</c> + <c>name.dat</c>) in format 16
/// or 212, with initial values and checksums, so that <see cref="WfdbReader"/> (and PhysioNet tools) read it back
/// exactly. Channels with stored digital values are written losslessly with their gain and baseline.
/// </summary>
public static class WfdbWriter
{
    /// <summary>Writes <paramref name="record"/> into <paramref name="directory"/> as record <paramref name="recordName"/>; returns the header path.</summary>
    public static string Write(string directory, string recordName, EcgRecord record, WfdbWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(recordName);
        ArgumentNullException.ThrowIfNull(record);
        options ??= new WfdbWriteOptions();
        if (options.Format is not (16 or 212)) throw new ArgumentException($"WFDB writer supports formats 16 and 212, not {options.Format}");
        if (!WfdbHeaderParser.IsSafeFileName(recordName) || recordName.Contains('/') || recordName.Any(char.IsWhiteSpace))
            throw new ArgumentException($"'{recordName}' is not a valid WFDB record name");
        if (!(options.DefaultGain > 0) || double.IsInfinity(options.DefaultGain)) throw new ArgumentException("DefaultGain must be positive and finite");
        int fmt = options.Format;
        int invalid = WfdbCodec.InvalidValue(fmt)!.Value;
        int min = invalid + 1, max = fmt == 16 ? short.MaxValue : 2047;
        int nsig = record.Channels.Count, n = record.SampleCount;

        var digital = new int[nsig][];
        var gains = new double[nsig];
        var baselines = new int[nsig];
        for (int c = 0; c < nsig; c++)
        {
            var ch = record.Channels[c];
            if (ch.Digital is { } d)
            {
                gains[c] = ch.Gain;
                baselines[c] = ch.Baseline;
                digital[c] = new int[n];
                for (int t = 0; t < n; t++)
                {
                    int v = d[t];
                    if (ch.InvalidValue == v || double.IsNaN(ch.Physical[t])) digital[c][t] = invalid;
                    else if (v < min || v > max) throw new ArgumentException($"channel '{ch.Name}': sample {t} value {v} does not fit format {fmt} ({min}..{max})");
                    else digital[c][t] = v;
                }
            }
            else
            {
                gains[c] = options.DefaultGain;
                digital[c] = new int[n];
                for (int t = 0; t < n; t++)
                {
                    double p = ch.Physical[t];
                    if (double.IsNaN(p)) { digital[c][t] = invalid; continue; }
                    double q = Math.Round(p * gains[c], MidpointRounding.AwayFromZero);
                    if (q < min || q > max) throw new ArgumentException($"channel '{ch.Name}': sample {t} ({p} {ch.Units}) does not fit format {fmt} at gain {gains[c]}");
                    digital[c][t] = (int)q;
                }
            }
        }

        // Interleave frames and encode.
        var stream = new int[(long)n * nsig];
        for (int c = 0; c < nsig; c++)
            for (int t = 0, k = c; t < n; t++, k += nsig) stream[k] = digital[c][t];
        var bytes = new byte[WfdbCodec.BytesFor(fmt, stream.Length)];
        WfdbCodec.Encode(fmt, stream, bytes);
        Directory.CreateDirectory(directory);
        string datName = recordName + ".dat";
        File.WriteAllBytes(Path.Combine(directory, datName), bytes);

        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(ci, $"{recordName} {nsig} {record.SamplingRate.ToString("R", ci)} {n}");
        if (record.Metadata.AcquisitionTime is { } at)
            sb.Append(ci, $" {at.ToString("HH:mm:ss", ci)} {at.ToString("dd/MM/yyyy", ci)}");
        sb.Append('\n');
        for (int c = 0; c < nsig; c++)
        {
            var ch = record.Channels[c];
            int sum = 0;
            foreach (int v in digital[c]) sum += v;
            int init = n > 0 ? digital[c][0] : 0;
            string units = string.IsNullOrWhiteSpace(ch.Units) ? "mV" : new string(ch.Units.Where(x => !char.IsWhiteSpace(x)).ToArray());
            string desc = ch.Name.Replace('\n', ' ').Replace('\r', ' ');
            sb.Append(ci, $"{datName} {fmt} {gains[c].ToString("R", ci)}({baselines[c]})/{units} {(fmt == 16 ? 16 : 12)} 0 {init} {(short)sum} 0 {desc}\n");
        }
        if (options.WriteComments)
        {
            var m = record.Metadata;
            if (m.Age is double age) sb.Append(ci, $"# Age: {age.ToString("R", ci)}\n");
            if (m.Sex is { } sex) sb.Append(ci, $"# Sex: {(sex == "M" ? "Male" : sex == "F" ? "Female" : sex)}\n");
            if (record.Labels.Count > 0) sb.Append(ci, $"# Dx: {string.Join(",", record.Labels)}\n");
            foreach (var s in record.Statements) sb.Append(ci, $"# {s.Replace('\n', ' ').Replace('\r', ' ')}\n");
        }
        string headerPath = Path.Combine(directory, recordName + ".hea");
        File.WriteAllText(headerPath, sb.ToString(), new UTF8Encoding(false));
        return headerPath;
    }
}
