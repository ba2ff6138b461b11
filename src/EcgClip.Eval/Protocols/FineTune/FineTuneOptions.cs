namespace EcgClip.Eval.Protocols;

/// <summary>Settings of <see cref="FineTuner"/>: AdamW on encoder + linear head, early stopping on the validation loss.</summary>
public sealed record FineTuneOptions
{
    /// <summary>Most epochs (passes over the training rows). Default 5.</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>AdamW learning rate. Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>AdamW decoupled weight decay. Default 1e-2.</summary>
    public double WeightDecay { get; init; } = 1e-2;

    /// <summary>Training batch size (rows). Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Stop after this many epochs without a lower validation loss. Default 2.</summary>
    public int Patience { get; init; } = 2;

    /// <summary>Seed of the head initialisation and the batch order (added to the subsampling seed of each run).</summary>
    public long Seed { get; init; }

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting out of range (named).</exception>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"fine-tune epochs must be ≥ 1, got {Epochs}");
        if (!(LearningRate > 0)) throw new ArgumentException($"fine-tune learning rate must be positive, got {LearningRate}");
        if (!(WeightDecay >= 0)) throw new ArgumentException($"fine-tune weight decay must be ≥ 0, got {WeightDecay}");
        if (BatchSize < 2) throw new ArgumentException($"fine-tune batch size must be ≥ 2 (BatchNorm in training mode), got {BatchSize}");
        if (Patience < 1) throw new ArgumentException($"fine-tune patience must be ≥ 1, got {Patience}");
    }
}
