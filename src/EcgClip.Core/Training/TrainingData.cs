using EcgClip.Signal.Datasets;

namespace EcgClip.Core.Training;

/// <summary>The data of a pretraining run: the data set and its three splits (PTB-XL: folds 1–8 / 9 / 10).</summary>
/// <param name="Dataset">The data set (reads records).</param>
/// <param name="Train">Training items.</param>
/// <param name="Validation">Validation items (best-checkpoint selection); may be empty.</param>
/// <param name="Test">Test items, evaluated once at the end; may be empty.</param>
public sealed record TrainingData(IEcgTextDataset Dataset, IReadOnlyList<EcgTextItem> Train, IReadOnlyList<EcgTextItem> Validation, IReadOnlyList<EcgTextItem> Test)
{
    /// <summary>Splits <paramref name="dataset"/> by each item's <see cref="EcgTextItem.Split"/>.</summary>
    public static TrainingData FromSplits(IEcgTextDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new TrainingData(dataset, dataset.ItemsIn(DatasetSplit.Train), dataset.ItemsIn(DatasetSplit.Validation), dataset.ItemsIn(DatasetSplit.Test));
    }
}

/// <summary>Progress of a run, reported after every optimisation step.</summary>
/// <param name="Step">Steps completed.</param>
/// <param name="TotalSteps">Total steps.</param>
/// <param name="Epoch">Current epoch (0-based).</param>
/// <param name="Loss">Loss of the last step.</param>
/// <param name="EcgPerSecond">Training throughput of the last step.</param>
public sealed record TrainingProgress(int Step, int TotalSteps, int Epoch, double Loss, double EcgPerSecond);

/// <summary>The outcome of <see cref="Trainer.Run"/>.</summary>
public sealed record TrainingSummary
{
    /// <summary>Optimisation steps completed (in total, a resumed run's earlier steps included).</summary>
    public int Steps { get; init; }
    /// <summary>Steps this process ran.</summary>
    public int StepsThisRun { get; init; }
    /// <summary>Epochs started.</summary>
    public int Epochs { get; init; }
    /// <summary>Loss of the run's first step.</summary>
    public double LossFirst { get; init; } = double.NaN;
    /// <summary>Mean loss of the last (up to 10) steps.</summary>
    public double LossLast { get; init; } = double.NaN;
    /// <summary>Training ECGs per second (model time, this process).</summary>
    public double EcgPerSecond { get; init; } = double.NaN;
    /// <summary>Loader records read and preprocessed per second of worker time.</summary>
    public double LoaderRecordsPerSecond { get; init; } = double.NaN;
    /// <summary>Wall time of this process's run.</summary>
    public double WallSeconds { get; init; }
    /// <summary>Records skipped (see skipped_records.csv).</summary>
    public int Skipped { get; init; }
    /// <summary>SHA-256 of the final parameters in state-dict order.</summary>
    public string WeightsSha256 { get; init; } = "";
    /// <summary>Every rank's <see cref="WeightsSha256"/> in rank order (one entry for a single process); all equal in a healthy run.</summary>
    public IReadOnlyList<string> RankWeightsSha256 { get; init; } = [];
    /// <summary>Number of ranks that trained (1 for a single process).</summary>
    public int WorldSize { get; init; } = 1;
    /// <summary>Best validation metrics (the selected checkpoint's), empty without validation.</summary>
    public IReadOnlyDictionary<string, double> Validation { get; init; } = new Dictionary<string, double>();
    /// <summary>Test metrics of the selected checkpoint, empty without a test split or when interrupted.</summary>
    public IReadOnlyDictionary<string, double> Test { get; init; } = new Dictionary<string, double>();
    /// <summary>Folder of the best (selected) checkpoint, or null.</summary>
    public string? BestCheckpoint { get; init; }
    /// <summary>Folder of the last checkpoint written.</summary>
    public string? LastCheckpoint { get; init; }
    /// <summary>True when the run stopped early on cancellation (a checkpoint was written).</summary>
    public bool Interrupted { get; init; }
    /// <summary>Step the run resumed from, or null.</summary>
    public int? ResumedFromStep { get; init; }
}
