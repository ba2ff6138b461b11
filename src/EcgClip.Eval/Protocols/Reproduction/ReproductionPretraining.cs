using System.Text.Json;
using EcgClip.Core.Models;
using EcgClip.Core.Training;
using EcgClip.Signal.Datasets;
using Microsoft.Extensions.Logging;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// One pretraining of the reproduction in <c>&lt;out&gt;/pretrain-&lt;objective&gt;/</c>, resumable: a completed run
/// (its <see cref="MarkerFileName"/> beside an existing checkpoint) is reused, an interrupted one continues from its
/// latest checkpoint.
/// </summary>
internal sealed class ReproductionPretraining(IEcgClipModelFactory factory, Trainer trainer, ILogger logger)
{
    /// <summary>Written when a pretraining completed; names the checkpoint the probes load.</summary>
    public const string MarkerFileName = "reproduce-pretraining.json";

    public PretrainingOutcome Run(string objective, string model, ReproductionOptions options, IProgress<ReproductionProgress>? progress, CancellationToken ct)
    {
        string dir = Path.Combine(options.OutputDirectory, $"pretrain-{objective}");
        string marker = Path.Combine(dir, MarkerFileName);
        if (File.Exists(marker) && JsonSerializer.Deserialize<PretrainingOutcome>(File.ReadAllText(marker), JsonOptions) is { } done && Directory.Exists(done.Checkpoint))
        {
            logger.LogInformation("reusing the completed {Objective} pretraining in {Directory}", objective, dir);
            progress?.Report(new ReproductionProgress($"pretrain {model}", 1, 1, "reused"));
            return done with { Reused = true };
        }
        var dataset = EcgDatasetSource.Open(options.Data, new EcgDatasetSourceOptions { SamplingRate = 100, Seed = (int)options.Seed });
        var split = TrainingData.FromSplits(dataset);
        if (options.Limit > 0)
            split = split with { Train = split.Train.Take(options.Limit).ToList(), Validation = split.Validation.Take(options.Limit).ToList(), Test = split.Test.Take(options.Limit).ToList() };
        if (split.Train.Count < options.BatchSize)
            throw new ArgumentException($"{options.Data}: the training split has {split.Train.Count} pairs, fewer than one batch of {options.BatchSize}");
        string? latest = Trainer.LatestCheckpoint(dir);
        using var bundle = latest is not null
            ? factory.FromPretrained(latest)
            : factory.Create(options.Backbone, objective, 100, split.Train.Select(i => i.Report).ToList(), options.Seed);
        var trainerOptions = new TrainerOptions
        {
            OutputDirectory = dir, Epochs = options.Epochs, Steps = options.Steps, BatchSize = options.BatchSize, Seed = options.Seed,
            Resume = latest is not null, Workers = 1,
        };
        string stage = $"pretrain {model}";
        var sink = progress is null ? null : new Sink<TrainingProgress>(p =>
            progress.Report(new ReproductionProgress(stage, p.Step, p.TotalSteps, $"epoch {p.Epoch + 1}, loss {p.Loss:F3}, {p.EcgPerSecond:F0} ECG/s")));
        var summary = trainer.Run(bundle, split, trainerOptions, sink, ct);
        if (summary.Interrupted) throw new OperationCanceledException($"the {objective} pretraining was interrupted; rerun to continue it from {summary.LastCheckpoint}");
        string checkpoint = summary.BestCheckpoint ?? summary.LastCheckpoint
            ?? throw new InvalidOperationException($"the {objective} pretraining in {dir} wrote no checkpoint");
        var outcome = new PretrainingOutcome(objective, model, Path.GetFullPath(checkpoint), summary.Steps, false, summary.WallSeconds, summary.LossFirst,
            summary.LossLast, summary.Test.TryGetValue("ecg_to_text_r10", out double r10) ? r10 : double.NaN);
        File.WriteAllText(marker, JsonSerializer.Serialize(outcome, JsonOptions));
        return outcome;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private sealed class Sink<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}
