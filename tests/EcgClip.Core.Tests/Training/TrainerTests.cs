using System.Text.Json;
using EcgClip.Core.Models;
using EcgClip.Core.Native;
using EcgClip.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Training;

[Collection(GlobalRngCollection.Name)] // the deterministic trainer reseeds libtorch's default generator before each step
public sealed class TrainerTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ecgclip-trainer-" + Guid.NewGuid().ToString("N"));

    public TrainerTests()
    {
        TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
        torch.set_num_threads(1);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private (TrainingSummary Summary, EcgClipBundle Bundle) Train(string name, int steps, TinyTraining.SyntheticDataset? dataset = null,
        Func<TrainerOptions, TrainerOptions>? adjust = null, CancellationTokenSource? cancelAt3 = null, bool resume = false)
    {
        dataset ??= new TinyTraining.SyntheticDataset(32, 8, 8);
        var data = TrainingData.FromSplits(dataset);
        var factory = TinyTraining.Factory();
        string run = Path.Combine(_root, name);
        string? latest = resume ? Trainer.LatestCheckpoint(run) : null;
        var bundle = latest is not null ? factory.FromPretrained(latest) : factory.Create(TinyTraining.Config(), data.Train.Select(i => i.Report).ToList(), seed: 1);
        var options = new TrainerOptions { OutputDirectory = run, Steps = steps, BatchSize = 8, LearningRate = 5e-3, Seed = 3, Deterministic = true, Resume = resume };
        if (adjust is not null) options = adjust(options);
        IProgress<TrainingProgress>? progress = cancelAt3 is null ? null : new Inline(p => { if (p.Step == 3) cancelAt3.Cancel(); });
        var summary = new Trainer(new TopOneEvaluator()).Run(bundle, data, options, progress, cancelAt3?.Token ?? default);
        return (summary, bundle);
    }

    private sealed class Inline(Action<TrainingProgress> a) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => a(value);
    }

    private static List<JsonElement> Rows(string run, string kind) =>
        File.ReadLines(Path.Combine(run, MetricsJsonlWriter.FileName)).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => r.GetProperty("kind").GetString() == kind).ToList();

    [Fact]
    public void Loss_falls_on_a_tiny_data_set_and_validation_rows_are_written()
    {
        var (summary, bundle) = Train("falls", 40);
        using var owned = bundle;
        Assert.Equal(40, summary.Steps);
        Assert.True(summary.LossLast < summary.LossFirst * 0.8, $"loss {summary.LossFirst} -> {summary.LossLast}");
        var steps = Rows(Path.Combine(_root, "falls"), "step");
        Assert.Equal(40, steps.Count);
        Assert.All(steps, r => Assert.True(r.GetProperty("terms").TryGetProperty("ecg_text", out var term) && term.GetDouble() > 0));
        Assert.NotEmpty(Rows(Path.Combine(_root, "falls"), "validation"));
        Assert.Single(Rows(Path.Combine(_root, "falls"), "test"));
        Assert.True(summary.Test["ecg_to_text_r1"] > 0.5, $"test top-1 {summary.Test["ecg_to_text_r1"]}");
    }

    [Fact]
    public void The_schedule_is_applied_once_per_optimisation_step()
    {
        var (summary, bundle) = Train("schedule", 12, adjust: o => o with { WarmupFraction = 0.25, GradientAccumulation = 2 });
        using var owned = bundle;
        var schedule = new EcgClip.Core.Training.Optimization.WarmupCosineSchedule(5e-3, 3, 12, 0.01);
        var steps = Rows(Path.Combine(_root, "schedule"), "step");
        Assert.Equal(12, steps.Count);
        for (int i = 0; i < steps.Count; i++)
        {
            Assert.Equal(i + 1, steps[i].GetProperty("step").GetInt32());
            Assert.Equal(schedule.LearningRate(i), steps[i].GetProperty("lr").GetDouble(), 12);
        }
        // 2 micro-batches of 8 per step over 32 training pairs: 2 steps per epoch, so 12 steps span 6 epochs.
        Assert.Equal(5, steps[^1].GetProperty("epoch").GetInt32());
    }

    [Fact]
    public void A_corrupt_record_is_skipped_listed_and_training_goes_on()
    {
        var (summary, bundle) = Train("corrupt", 4, new TinyTraining.SyntheticDataset(32, 8, 8, 64, "r0005", "r0033"));
        using var owned = bundle;
        Assert.Equal(4, summary.Steps);
        Assert.Equal(2, summary.Skipped);
        var lines = File.ReadAllLines(Path.Combine(_root, "corrupt", SkippedRecordLog.FileName));
        Assert.Equal("id,path,reason", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("r0005,/synthetic/r0005,", StringComparison.Ordinal) && l.Contains("truncated signal file", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("r0033,", StringComparison.Ordinal));
    }

    [Fact]
    public void An_interrupted_and_resumed_deterministic_run_ends_with_the_weights_of_an_uninterrupted_one()
    {
        var (whole, b1) = Train("whole", 6);
        b1.Dispose();
        using var cts = new CancellationTokenSource();
        var (first, b2) = Train("split", 6, cancelAt3: cts);
        b2.Dispose();
        Assert.True(first.Interrupted);
        Assert.Equal(3, first.Steps);
        Assert.NotEqual(whole.WeightsSha256, first.WeightsSha256);
        // A killed run's half-written folder must not be picked up, and is removed.
        Directory.CreateDirectory(Path.Combine(_root, "split", "checkpoints", $".tmp-step-0000004-{int.MaxValue - 7}-{Guid.NewGuid():N}"));
        var (second, b3) = Train("split", 6, resume: true);
        b3.Dispose();
        Assert.Equal(3, second.ResumedFromStep);
        Assert.Equal(6, second.Steps);
        Assert.Equal(3, second.StepsThisRun);
        Assert.Equal(whole.WeightsSha256, second.WeightsSha256);
        Assert.DoesNotContain(Directory.EnumerateDirectories(Path.Combine(_root, "split", "checkpoints")), d => Path.GetFileName(d).StartsWith(".tmp-", StringComparison.Ordinal));
    }

    [Fact]
    public void A_checkpoint_alone_rebuilds_the_model_with_identical_embeddings()
    {
        var (summary, bundle) = Train("roundtrip", 3);
        using var owned = bundle;
        using var loaded = TinyTraining.Factory().FromPretrained(summary.LastCheckpoint!);
        Assert.Equal(bundle.Config.ToJson(), loaded.Config.ToJson());
        Assert.Equal(summary.WeightsSha256, EcgClip.Core.Training.Checkpoints.ModuleState.Sha256(loaded.Model));
        bundle.Model.eval();
        using var scope = NewDisposeScope();
        var x = randn([4, 12, 64], generator: new Generator(5));
        var (ids, mask) = bundle.Batcher.Tokenize(TinyTraining.Reports);
        using var noGrad = no_grad();
        Assert.True(bundle.Model.EncodeEcg(x).eq(loaded.Model.EncodeEcg(x)).all().item<bool>());
        Assert.True(bundle.Model.EncodeText(ids, mask).eq(loaded.Model.EncodeText(ids, mask)).all().item<bool>());
    }

    [Fact]
    public void A_tampered_checkpoint_is_not_taken_as_the_latest()
    {
        var (summary, bundle) = Train("tamper", 2, adjust: o => o with { CheckpointEvery = 1 });
        bundle.Dispose();
        string last = summary.LastCheckpoint!;
        Assert.Equal(last, Trainer.LatestCheckpoint(Path.Combine(_root, "tamper")));
        File.AppendAllText(Path.Combine(last, TrainerState.FileName), " ");
        var latest = Trainer.LatestCheckpoint(Path.Combine(_root, "tamper"));
        Assert.NotEqual(last, latest);
        Assert.NotNull(latest);
    }

    [Theory]
    [InlineData("siglip", "logit_bias")]
    [InlineData("merl", "ecg_ecg")]
    public void Every_objective_trains_through_the_model(string objective, string term)
    {
        var data = TrainingData.FromSplits(new TinyTraining.SyntheticDataset(32, 8, 8));
        using var bundle = TinyTraining.Factory().Create(TinyTraining.Config(objective), data.Train.Select(i => i.Report).ToList(), seed: 1);
        string run = Path.Combine(_root, objective);
        var summary = new Trainer(new TopOneEvaluator()).Run(bundle, data, new TrainerOptions { OutputDirectory = run, Steps = 12, BatchSize = 8, LearningRate = 5e-3, Seed = 3 });
        Assert.True(double.IsFinite(summary.LossFirst) && double.IsFinite(summary.LossLast));
        Assert.True(summary.LossLast < summary.LossFirst, $"{objective}: loss {summary.LossFirst} -> {summary.LossLast}");
        Assert.All(Rows(run, "step"), r => Assert.True(r.GetProperty("terms").TryGetProperty(term, out _), term));
    }

    [Fact]
    public void Bf16_mixed_precision_trains_float32_master_weights()
    {
        var (summary, bundle) = Train("bf16", 20, adjust: o => o with { Precision = EcgClip.Core.Precision.ComputePrecision.BFloat16 });
        using var owned = bundle;
        Assert.All(bundle.Model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.True(summary.LossLast < summary.LossFirst, $"loss {summary.LossFirst} -> {summary.LossLast}");
    }
}

public sealed class TrainerMemoryTests
{
    public TrainerMemoryTests()
    {
        TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
        torch.set_num_threads(1);
    }

    [Fact]
    public void No_tensor_outlives_its_step()
    {
        string run = Path.Combine(Path.GetTempPath(), "ecgclip-leak-" + Guid.NewGuid().ToString("N"));
        try
        {
            var data = TrainingData.FromSplits(new TinyTraining.SyntheticDataset(32, 8, 8));
            using var bundle = TinyTraining.Factory().Create(TinyTraining.Config(), data.Train.Select(i => i.Report).ToList(), seed: 1);
            var live = new Dictionary<int, long>();
            var progress = new InlineProgress(p => { if (p.Step is 8 or 40) live[p.Step] = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount; });
            new Trainer(new TopOneEvaluator()).Run(bundle, data, new TrainerOptions { OutputDirectory = run, Steps = 40, BatchSize = 8, Seed = 1, CheckpointEvery = 4 }, progress);
            Assert.Equal(live[8], live[40]);
        }
        finally
        {
            if (Directory.Exists(run)) Directory.Delete(run, recursive: true);
        }
    }

    private sealed class InlineProgress(Action<TrainingProgress> a) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => a(value);
    }
}
