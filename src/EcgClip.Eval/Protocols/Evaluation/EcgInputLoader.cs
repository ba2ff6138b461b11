using EcgClip.Signal.Datasets;
using EcgClip.Signal.Dsp.Preprocessing;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// Reads dataset items as encoder inputs: each record's leads in the encoder's order, cropped (from the start) or
/// zero-padded at the end to a fixed window, preprocessed, and finally cut or padded to exactly
/// round(encoder rate × window) samples. Records are read in parallel; the result is in item order.
/// </summary>
/// <param name="dataset">The dataset the items come from.</param>
/// <param name="leads">Lead names in the encoder's input order (canonical names).</param>
/// <param name="encoderRateHz">Sampling rate the encoder expects (Hz).</param>
/// <param name="preprocessing">The model's preprocessing, or null for <see cref="EvaluationPreprocessing.Default"/>.</param>
/// <param name="windowSeconds">Length of the window fed to the encoder (s).</param>
/// <param name="threads">Records read and preprocessed in parallel (≥ 1).</param>
public sealed class EcgInputLoader(IEcgTextDataset dataset, IReadOnlyList<string> leads, double encoderRateHz,
    PreprocessingConfig? preprocessing, double windowSeconds = 10, int threads = 1)
{
    private readonly Dictionary<double, PreprocessingPipeline> _pipelines = [];
    private readonly Lock _gate = new();

    /// <summary>Samples per lead of every input.</summary>
    public int Samples { get; } = (int)Math.Round(encoderRateHz * windowSeconds);

    /// <summary>Number of leads per input.</summary>
    public int Leads => leads.Count;

    /// <summary>Loads <paramref name="items"/> into one row-major <c>[items, leads, Samples]</c> float32 array.</summary>
    /// <exception cref="Signal.Records.EcgFormatException">A record cannot be read or lacks a lead (names the record).</exception>
    public float[] Load(IReadOnlyList<EcgTextItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        int per = Leads * Samples;
        var result = new float[(long)items.Count * per];
        var po = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) };
        Parallel.For(0, items.Count, po, i => LoadOne(items[i], result.AsSpan(i * per, per)));
        return result;
    }

    private void LoadOne(EcgTextItem item, Span<float> destination)
    {
        var record = dataset.LoadRecord(item);
        double rate = record.SamplingRate;
        int inSamples = (int)Math.Round(rate * windowSeconds);
        var x = new float[Leads * inSamples];
        for (int l = 0; l < Leads; l++)
        {
            var channel = record.Channels.FirstOrDefault(c => string.Equals(c.Name, leads[l], StringComparison.OrdinalIgnoreCase))
                ?? throw new Signal.Records.EcgFormatException(item.RecordPath, $"record '{item.Id}' has no lead {leads[l]}");
            var p = channel.Physical;
            int n = Math.Min(p.Length, inSamples);
            for (int s = 0; s < n; s++) x[l * inSamples + s] = (float)p[s];
        }
        var pipeline = Pipeline(rate);
        int outSamples = pipeline.OutputLength(inSamples);
        var y = new float[Leads * outSamples];
        pipeline.Process(x, y, 1, Leads, inSamples);
        destination.Clear();
        int copy = Math.Min(outSamples, Samples);
        for (int l = 0; l < Leads; l++) y.AsSpan(l * outSamples, copy).CopyTo(destination.Slice(l * Samples, copy));
    }

    private PreprocessingPipeline Pipeline(double rate)
    {
        lock (_gate)
        {
            if (!_pipelines.TryGetValue(rate, out var p))
            {
                p = new PreprocessingPipeline(EvaluationPreprocessing.For(preprocessing, rate, encoderRateHz));
                _pipelines.Add(rate, p);
            }
            return p;
        }
    }
}
