using EcgClip.Core.Precision;

namespace EcgClip.Core.Training;

/// <summary>How a pretraining run proceeds (validated by <see cref="Validate"/>; the trainer refuses invalid options).</summary>
public sealed record TrainerOptions
{
    /// <summary>The run folder: <c>metrics.jsonl</c>, <c>skipped_records.csv</c>, <c>checkpoints/</c>.</summary>
    public required string OutputDirectory { get; init; }
    /// <summary>Epochs over the training split (used when <see cref="Steps"/> is null). Default 10.</summary>
    public int Epochs { get; init; } = 10;
    /// <summary>Optimisation steps in total; overrides <see cref="Epochs"/> when set.</summary>
    public int? Steps { get; init; }
    /// <summary>ECG–report pairs per micro-batch. Default 32.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Micro-batches whose gradients are summed per optimisation step. Default 1.</summary>
    public int GradientAccumulation { get; init; } = 1;
    /// <summary>Peak learning rate of AdamW. Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>AdamW weight decay (not applied to biases, norms, 1-d parameters, logit scale/bias). Default 0.05.</summary>
    public double WeightDecay { get; init; } = 0.05;
    /// <summary>Linear warm-up as a fraction of the total steps. Default 0.05.</summary>
    public double WarmupFraction { get; init; } = 0.05;
    /// <summary>Cosine floor as a fraction of the peak rate. Default 0.01.</summary>
    public double MinLearningRateRatio { get; init; } = 0.01;
    /// <summary>Clip the global gradient norm to this value; 0 = no clipping. Default 1.</summary>
    public double ClipGradNorm { get; init; } = 1.0;
    /// <summary>float32, or bf16 mixed precision for the ECG tower (float32 master weights and optimiser state).</summary>
    public ComputePrecision Precision { get; init; } = ComputePrecision.Float32;
    /// <summary>Seed of data order, augmentation and dropout.</summary>
    public long Seed { get; init; }
    /// <summary>Deterministic mode: one loader worker (batches are seeded per record either way) and the same per-step reseeding, so the same arguments give the same weights, also across a resume.</summary>
    public bool Deterministic { get; init; }
    /// <summary>Write a checkpoint every this many optimisation steps; 0 = only at the end (and on cancellation). Default 0.</summary>
    public int CheckpointEvery { get; init; }
    /// <summary>Validate every this many steps; 0 = at the end of each epoch (and at the end). Default 0.</summary>
    public int ValidateEvery { get; init; }
    /// <summary>Periodic checkpoints kept (the best one is always kept). Default 2.</summary>
    public int KeepCheckpoints { get; init; } = 2;
    /// <summary>Continue from the latest complete checkpoint in <see cref="OutputDirectory"/> when there is one.</summary>
    public bool Resume { get; init; }
    /// <summary>Loader worker threads (preprocessing + augmentation). Default 1.</summary>
    public int Workers { get; init; } = 1;
    /// <summary>Batches prepared ahead of the model. Default 2.</summary>
    public int Prefetch { get; init; } = 2;
    /// <summary>Write a step row to metrics.jsonl every this many steps. Default 1.</summary>
    public int LogEvery { get; init; } = 1;

    /// <summary>Checks the values; returns problems naming the option (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var e = new List<string>();
        if (string.IsNullOrWhiteSpace(OutputDirectory)) e.Add("outputDirectory: is empty");
        if (Steps is null && Epochs < 1) e.Add($"epochs: must be positive, got {Epochs}");
        if (Steps is < 1) e.Add($"steps: must be positive, got {Steps}");
        if (BatchSize < 2) e.Add($"batchSize: a contrastive batch needs at least 2 pairs, got {BatchSize}");
        if (GradientAccumulation < 1) e.Add($"gradientAccumulation: must be positive, got {GradientAccumulation}");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) e.Add($"learningRate: must be positive, got {LearningRate}");
        if (!(WeightDecay >= 0)) e.Add($"weightDecay: must be >= 0, got {WeightDecay}");
        if (!(WarmupFraction >= 0 && WarmupFraction < 1)) e.Add($"warmupFraction: must be in [0, 1), got {WarmupFraction}");
        if (!(MinLearningRateRatio >= 0 && MinLearningRateRatio <= 1)) e.Add($"minLearningRateRatio: must be in [0, 1], got {MinLearningRateRatio}");
        if (!(ClipGradNorm >= 0)) e.Add($"clipGradNorm: must be >= 0, got {ClipGradNorm}");
        if (CheckpointEvery < 0) e.Add($"checkpointEvery: must be >= 0, got {CheckpointEvery}");
        if (ValidateEvery < 0) e.Add($"validateEvery: must be >= 0, got {ValidateEvery}");
        if (KeepCheckpoints < 1) e.Add($"keepCheckpoints: must be positive, got {KeepCheckpoints}");
        if (Workers < 1) e.Add($"workers: must be positive, got {Workers}");
        if (Prefetch < 1) e.Add($"prefetch: must be positive, got {Prefetch}");
        if (LogEvery < 1) e.Add($"logEvery: must be positive, got {LogEvery}");
        return e;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem.</summary>
    public void ThrowIfInvalid()
    {
        var e = Validate();
        if (e.Count > 0) throw new ArgumentException("invalid trainer options: " + string.Join("; ", e));
    }
}
