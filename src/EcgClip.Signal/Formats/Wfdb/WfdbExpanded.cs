using EcgClip.Signal.Records;

namespace EcgClip.Signal.Formats.Wfdb;

/// <summary>One signal of a WFDB record at its own rate (<see cref="SamplesPerFrame"/> samples per frame).</summary>
/// <param name="Name">Signal name (description).</param>
/// <param name="SamplesPerFrame">Samples per frame of this signal.</param>
/// <param name="SamplingRate">This signal's rate in Hz (frame rate × samples per frame).</param>
/// <param name="Digital">Stored integer samples; the invalid value marks missing samples.</param>
/// <param name="Physical">Samples in <paramref name="Units"/>; NaN where missing.</param>
/// <param name="Gain">ADC units per physical unit.</param>
/// <param name="Baseline">Digital value of 0 physical units.</param>
/// <param name="Units">Physical units.</param>
/// <param name="InvalidValue">The digital value marking a missing sample, if any.</param>
public sealed record WfdbExpandedSignal(string Name, int SamplesPerFrame, double SamplingRate, int[] Digital, double[] Physical,
                                        double Gain, int Baseline, string Units, int? InvalidValue);

/// <summary>Samples-per-frame expansion: every signal at its own rate (wfdb-python's <c>smooth_frames=False</c>).</summary>
public static class WfdbExpanded
{
    /// <summary>
    /// Reads <paramref name="recordPath"/> with every signal expanded to its own rate: a signal stored with N samples per
    /// frame yields N samples per frame, in stored order. <see cref="WfdbReadOptions.From"/>/<see cref="WfdbReadOptions.To"/>
    /// count frames here; <see cref="WfdbReadOptions.HighResolution"/> is ignored.
    /// </summary>
    public static IReadOnlyList<WfdbExpandedSignal> Read(string recordPath, WfdbReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(recordPath);
        options ??= WfdbReadOptions.Default;
        string headerPath = WfdbReader.ResolveHeaderPath(recordPath);
        var header = WfdbHeaderParser.ParseFile(headerPath);
        var specs = WfdbReader.SignalsOf(header, headerPath);
        int m = specs.Count == 0 ? 1 : specs.Max(s => s.SamplesPerFrame);
        int[] sel = options.Channels?.ToArray() ?? Enumerable.Range(0, specs.Count).ToArray();
        // High resolution holds each sample of a slower signal for M/spf output samples; picking the first output
        // sample of each hold recovers the stored samples exactly.
        var hr = WfdbReader.Read(header, headerPath, options with
        {
            HighResolution = true,
            From = options.From * m,
            To = options.To is long t ? t * m : null,
        });
        long frames = hr.SampleCount / m;
        var result = new List<WfdbExpandedSignal>(sel.Length);
        for (int k = 0; k < sel.Length; k++)
        {
            var spec = specs[sel[k]];
            var ch = hr.Channels[k];
            int spf = spec.SamplesPerFrame;
            var d = new int[frames * spf];
            var p = new double[frames * spf];
            for (long f = 0; f < frames; f++)
                for (int s = 0; s < spf; s++)
                {
                    long j = f * m + ((long)s * m + spf - 1) / spf;
                    d[f * spf + s] = ch.Digital![j];
                    p[f * spf + s] = ch.Physical[j];
                }
            result.Add(new WfdbExpandedSignal(ch.Name, spf, header.SamplingFrequency * spf, d, p, ch.Gain, ch.Baseline, ch.Units, ch.InvalidValue));
        }
        return result;
    }
}
