using EcgClip.Signal.Datasets;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// Encoder inputs and targets of one partition, tagged with it, for <see cref="FineTuner"/> (the counterpart of
/// <see cref="ProbeSplit"/> with signals instead of embeddings). The tag keeps the test fold out of training and of
/// early stopping.
/// </summary>
public sealed class FineTuneSplit
{
    /// <summary>Pairs <paramref name="inputs"/> <c>[n, leads, samples]</c> (row-major, float32, preprocessed) with <paramref name="targets"/>.</summary>
    /// <exception cref="ArgumentException">Sizes that do not match.</exception>
    public FineTuneSplit(DatasetSplit split, float[] inputs, int leads, int samples, ProbeTargets targets, IReadOnlyList<long>? patientIds = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (leads < 1 || samples < 1) throw new ArgumentException($"leads and samples must be positive, got {leads} × {samples}");
        if (inputs.LongLength != (long)targets.Rows * leads * samples)
            throw new ArgumentException($"{inputs.LongLength} input values for {targets.Rows} rows of {leads} × {samples}");
        if (patientIds is not null && patientIds.Count != targets.Rows) throw new ArgumentException($"{patientIds.Count} patient ids for {targets.Rows} rows");
        Split = split;
        Inputs = inputs;
        Leads = leads;
        Samples = samples;
        Targets = targets;
        PatientIds = patientIds;
    }

    /// <summary>The partition.</summary>
    public DatasetSplit Split { get; }
    /// <summary>Row-major inputs <c>[Rows, Leads, Samples]</c>.</summary>
    public float[] Inputs { get; }
    /// <summary>Leads per row.</summary>
    public int Leads { get; }
    /// <summary>Samples per lead.</summary>
    public int Samples { get; }
    /// <summary>Targets, one row per input.</summary>
    public ProbeTargets Targets { get; }
    /// <summary>Patient id per row, or null.</summary>
    public IReadOnlyList<long>? PatientIds { get; }
    /// <summary>Number of rows.</summary>
    public int Rows => Targets.Rows;

    /// <summary>The given rows (same partition), e.g. a label-fraction subsample of the training split.</summary>
    public FineTuneSplit SelectRows(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int per = Leads * Samples;
        var x = new float[(long)rows.Count * per];
        for (int i = 0; i < rows.Count; i++) Inputs.AsSpan(rows[i] * per, per).CopyTo(x.AsSpan(i * per, per));
        return new FineTuneSplit(Split, x, Leads, Samples, Targets.SelectRows(rows), PatientIds is null ? null : rows.Select(r => PatientIds[r]).ToArray());
    }
}
