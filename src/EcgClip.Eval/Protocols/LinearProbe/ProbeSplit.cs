using EcgClip.Signal.Datasets;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// The cached embeddings and targets of one partition, tagged with the partition. The tag is what keeps the test fold
/// out of model selection: <see cref="LinearProbe.Fit"/> accepts only a <see cref="DatasetSplit.Train"/> and a
/// <see cref="DatasetSplit.Validation"/> split, and a test split can only be scored by a fitted probe.
/// </summary>
public sealed class ProbeSplit
{
    /// <summary>Pairs <paramref name="embeddings"/> with <paramref name="targets"/>.</summary>
    /// <param name="split">The partition these rows come from.</param>
    /// <param name="embeddings">Embeddings <c>[n, d]</c>.</param>
    /// <param name="targets">Targets of the same n rows.</param>
    /// <param name="patientIds">Optional patient id per row (for patient-clustered bootstrap on the test split).</param>
    /// <exception cref="ArgumentException">Row counts that differ.</exception>
    public ProbeSplit(DatasetSplit split, FeatureMatrix embeddings, ProbeTargets targets, IReadOnlyList<long>? patientIds = null)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(targets);
        if (embeddings.Rows != targets.Rows)
            throw new ArgumentException($"{embeddings.Rows} embedding rows but {targets.Rows} target rows ({DatasetSplits.ToName(split)})");
        if (patientIds is not null && patientIds.Count != embeddings.Rows)
            throw new ArgumentException($"{patientIds.Count} patient ids for {embeddings.Rows} rows ({DatasetSplits.ToName(split)})");
        Split = split;
        Embeddings = embeddings;
        Targets = targets;
        PatientIds = patientIds;
    }

    /// <summary>The partition.</summary>
    public DatasetSplit Split { get; }

    /// <summary>Embeddings <c>[n, d]</c>.</summary>
    public FeatureMatrix Embeddings { get; }

    /// <summary>Targets of the n rows.</summary>
    public ProbeTargets Targets { get; }

    /// <summary>Patient id per row, or null.</summary>
    public IReadOnlyList<long>? PatientIds { get; }

    /// <summary>Number of rows.</summary>
    public int Rows => Embeddings.Rows;

    /// <summary>
    /// The same rows tagged <see cref="DatasetSplit.Test"/>, e.g. a whole external cohort (CinC) scored by a probe
    /// fitted elsewhere. Only this direction is offered: data never becomes selection data by re-tagging.
    /// </summary>
    public ProbeSplit AsTest() => Split == DatasetSplit.Test ? this : new(DatasetSplit.Test, Embeddings, Targets, PatientIds);

    /// <summary>The given rows (same partition), e.g. a label-fraction subsample of the training split.</summary>
    public ProbeSplit SelectRows(IReadOnlyList<int> rows) =>
        new(Split, Embeddings.SelectRows(rows), Targets.SelectRows(rows), PatientIds is null ? null : rows.Select(r => PatientIds[r]).ToArray());
}
