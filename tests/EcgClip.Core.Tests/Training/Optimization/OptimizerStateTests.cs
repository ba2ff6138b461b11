using EcgClip.Core.Native;
using EcgClip.Core.Training.Checkpoints;
using EcgClip.Core.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Training.Optimization;

/// <summary>
/// Resume is bit-exact: N uninterrupted steps equal k steps + checkpoint (weights, optimizer, RNG) + load into a fresh
/// model and optimizer + N−k steps, compared by <see cref="ModuleState.Sha256"/>.
/// </summary>
[Collection(GlobalRngCollection.Name)]
public sealed class OptimizerStateTests : IDisposable
{
    private const int N = 6;
    private const int K = 3;
    private readonly string _run = Directory.CreateTempSubdirectory("ecgclip-optim-").FullName;

    public OptimizerStateTests()
    {
        TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
        torch.set_num_threads(1);
    }

    public void Dispose() => Directory.Delete(_run, recursive: true);

    private static readonly WarmupCosineSchedule Schedule = new(baseLr: 1e-2, warmupSteps: 2, totalSteps: N);

    /// <summary>One training step on a batch fixed by <paramref name="step"/>; dropout draws from the default generator.</summary>
    private static void Step(TinyModel model, optim.Optimizer optimizer, int step)
    {
        using var scope = NewDisposeScope();
        Schedule.Apply(optimizer, step);
        var g = new Generator((ulong)(1000 + step));
        var x = randn([4, 2, 16], generator: g);
        var y = randn([4, 3], generator: g);
        model.train();
        optimizer.zero_grad();
        var loss = nn.functional.mse_loss(model.forward(x), y);
        loss.backward();
        GradientClipping.ClipNorm(model.parameters(), 1.0);
        optimizer.step();
    }

    private static string Uninterrupted()
    {
        using var model = new TinyModel(seed: 7);
        using var groups = AdamWParameterGroups.Create(model, lr: 1e-2, weightDecay: 0.05);
        random.manual_seed(99);
        for (int s = 0; s < N; s++) Step(model, groups.Optimizer, s);
        return ModuleState.Sha256(model);
    }

    private string Interrupted(bool loadOptimizer, bool restoreRng)
    {
        var store = new CheckpointStore(_run);
        using (var model = new TinyModel(seed: 7))
        using (var groups = AdamWParameterGroups.Create(model, lr: 1e-2, weightDecay: 0.05))
        {
            random.manual_seed(99);
            for (int s = 0; s < K; s++) Step(model, groups.Optimizer, s);
            var rng = RngState.Capture();
            store.Write($"step-{K}", dir =>
            {
                ModuleState.Save(model, Path.Combine(dir, "model.safetensors"));
                OptimizerState.Save(groups.Optimizer, Path.Combine(dir, "optimizer.bin"));
                File.WriteAllText(Path.Combine(dir, "rng.json"), System.Text.Json.JsonSerializer.Serialize(rng));
            });
        }
        random.manual_seed(12345); // the resumed process starts elsewhere
        using var fresh = new TinyModel(seed: 8);
        using var freshGroups = AdamWParameterGroups.Create(fresh, lr: 1e-2, weightDecay: 0.05);
        string latest = store.Latest()!;
        ModuleState.Load(fresh, Path.Combine(latest, "model.safetensors"));
        if (loadOptimizer) OptimizerState.Load(freshGroups.Optimizer, Path.Combine(latest, "optimizer.bin"));
        if (restoreRng) System.Text.Json.JsonSerializer.Deserialize<RngState>(File.ReadAllText(Path.Combine(latest, "rng.json")))!.Restore();
        for (int s = K; s < N; s++) Step(fresh, freshGroups.Optimizer, s);
        return ModuleState.Sha256(fresh);
    }

    [Fact]
    public void Resume_FromCheckpoint_IsBitIdenticalToAnUninterruptedRun()
    {
        string expected = Uninterrupted();
        Assert.Equal(expected, Uninterrupted()); // the run itself is deterministic
        Assert.Equal(expected, Interrupted(loadOptimizer: true, restoreRng: true));
    }

    [Fact]
    public void Resume_WithoutOptimizerState_OrWithoutRng_Diverges()
    {
        string expected = Uninterrupted();
        Assert.NotEqual(expected, Interrupted(loadOptimizer: false, restoreRng: true));
        Assert.NotEqual(expected, Interrupted(loadOptimizer: true, restoreRng: false));
    }

    [Fact]
    public void Load_RoundTripsMomentsStepsAndLearningRate()
    {
        using var model = new TinyModel(seed: 7);
        using var groups = AdamWParameterGroups.Create(model, lr: 1e-2, weightDecay: 0.05);
        random.manual_seed(1);
        for (int s = 0; s < 2; s++) Step(model, groups.Optimizer, s);
        string path = Path.Combine(_run, "opt.bin");
        OptimizerState.Save(groups.Optimizer, path);

        using var other = new TinyModel(seed: 7);
        using var otherGroups = AdamWParameterGroups.Create(other, lr: 3e-4, weightDecay: 0.05);
        OptimizerState.Load(otherGroups.Optimizer, path);
        var a = groups.Optimizer.state_dict();
        var b = otherGroups.Optimizer.state_dict();
        Assert.Equal(a.State.Count, b.State.Count);
        for (int i = 0; i < a.State.Count; i++)
        {
            var sa = (TorchSharp.Modules.AdamW.State)a.State[i];
            var sb = (TorchSharp.Modules.AdamW.State)b.State[i];
            Assert.Equal(2, sb.step);
            Assert.Equal(CheckpointTensors.RawBytes(sa.exp_avg), CheckpointTensors.RawBytes(sb.exp_avg));
            Assert.Equal(CheckpointTensors.RawBytes(sa.exp_avg_sq), CheckpointTensors.RawBytes(sb.exp_avg_sq));
        }
        Assert.All(otherGroups.Optimizer.ParamGroups, g => Assert.Equal(Schedule.LearningRate(1), g.LearningRate));
    }

    [Fact]
    public void Load_ReportsMissingTruncatedAndMismatchedState()
    {
        using var model = new TinyModel(seed: 7);
        using var groups = AdamWParameterGroups.Create(model, lr: 1e-2, weightDecay: 0.05);
        string path = Path.Combine(_run, "opt.bin");
        Assert.Equal(path, Assert.Throws<CheckpointFormatException>(() => OptimizerState.Load(groups.Optimizer, path)).FilePath);

        OptimizerState.Save(groups.Optimizer, path);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^9]);
        Assert.Equal(path, Assert.Throws<CheckpointFormatException>(() => OptimizerState.Load(groups.Optimizer, path)).FilePath);

        using var wide = new TinyModel(seed: 7, width: 6);
        using var wideGroups = AdamWParameterGroups.Create(wide, lr: 1e-2, weightDecay: 0.05);
        OptimizerState.Save(wideGroups.Optimizer, path);
        Assert.Throws<CheckpointFormatException>(() => OptimizerState.Load(groups.Optimizer, path));

        using var sgd = optim.SGD(model.parameters(), 0.1);
        OptimizerState.Save(sgd, path);
        Assert.Contains("AdamW", Assert.Throws<CheckpointFormatException>(() => OptimizerState.Load(groups.Optimizer, path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Failing_LeavesTheOptimizerAsItWas()
    {
        using var model = new TinyModel(seed: 7);
        using var groups = AdamWParameterGroups.Create(model, lr: 1e-2, weightDecay: 0.05);
        random.manual_seed(1);
        Step(model, groups.Optimizer, 0);
        string before = Path.Combine(_run, "before.bin");
        OptimizerState.Save(groups.Optimizer, before);

        using var other = new TinyModel(seed: 3);
        using var otherGroups = AdamWParameterGroups.Create(other, lr: 1e-2, weightDecay: 0.05);
        for (int s = 0; s < 3; s++) Step(other, otherGroups.Optimizer, s);
        string torn = Path.Combine(_run, "torn.bin");
        OptimizerState.Save(otherGroups.Optimizer, torn);
        File.WriteAllBytes(torn, File.ReadAllBytes(torn)[..^100]); // first parameters' state readable, the rest cut off

        Assert.Throws<CheckpointFormatException>(() => OptimizerState.Load(groups.Optimizer, torn));
        string after = Path.Combine(_run, "after.bin");
        OptimizerState.Save(groups.Optimizer, after);
        Assert.Equal(File.ReadAllBytes(before), File.ReadAllBytes(after));
    }
}
