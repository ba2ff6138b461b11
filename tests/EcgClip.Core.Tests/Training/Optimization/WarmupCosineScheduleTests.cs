using System.Text.Json;
using EcgClip.Core.Native;
using EcgClip.Core.Training.Optimization;
using EcgClip.Testing;
using TorchSharp;

namespace EcgClip.Core.Tests.Training.Optimization;

/// <summary>Against PyTorch 1.13's LambdaLR stepped once per optimiser step (scripts/oracles/optimization.py → Fixtures/optimization.json).</summary>
public sealed class WarmupCosineScheduleTests
{
    internal static readonly Lazy<JsonElement> Fixture = new(() =>
        JsonDocument.Parse(File.ReadAllText(TestPaths.Repo("tests", "EcgClip.Core.Tests", "Fixtures", "optimization.json"))).RootElement);

    [Fact]
    public void LearningRate_MatchesPyTorchLambdaLR()
    {
        int cases = 0;
        foreach (var c in Fixture.Value.GetProperty("schedules").EnumerateArray())
        {
            var s = new WarmupCosineSchedule(c.GetProperty("baseLr").GetDouble(), c.GetProperty("warmupSteps").GetInt32(),
                                             c.GetProperty("totalSteps").GetInt32(), c.GetProperty("minLrRatio").GetDouble());
            var expected = c.GetProperty("lr").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.True(expected.Length > s.TotalSteps);
            for (int step = 0; step < expected.Length; step++)
                Assert.True(Math.Abs(expected[step] - s.LearningRate(step)) <= 1e-15 * s.BaseLr + 1e-18, $"case {cases} step {step}: {expected[step]} vs {s.LearningRate(step)}");
            cases++;
        }
        Assert.Equal(4, cases);
    }

    [Fact]
    public void LearningRate_FollowsThePublishedShape()
    {
        var s = new WarmupCosineSchedule(1e-3, warmupSteps: 10, totalSteps: 110, minLrRatio: 0.1);
        Assert.Equal(1e-4, s.LearningRate(0), 15);
        Assert.Equal(1e-3, s.LearningRate(9), 15);
        Assert.Equal(1e-3, s.LearningRate(10), 15);
        Assert.Equal(1e-3 * (0.1 + 0.9 * 0.5), s.LearningRate(60), 15); // half-way down the cosine
        Assert.Equal(1e-4, s.LearningRate(110), 15);
        Assert.Equal(1e-4, s.LearningRate(500), 15);
        for (int i = 10; i < 110; i++) Assert.True(s.LearningRate(i + 1) < s.LearningRate(i));
    }

    [Fact]
    public void Apply_SetsEveryParamGroup()
    {
        TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
        torch.set_num_threads(1);
        using var model = new TinyModel(seed: 1);
        using var groups = AdamWParameterGroups.Create(model, lr: 5.0, weightDecay: 0.1);
        var s = new WarmupCosineSchedule(1e-3, 4, 20);
        s.Apply(groups.Optimizer, 1);
        Assert.All(groups.Optimizer.ParamGroups, g => Assert.Equal(5e-4, g.LearningRate, 15));
        Assert.Equal(2, groups.Optimizer.ParamGroups.Count());
    }

    [Fact]
    public void Constructor_RejectsInconsistentArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupCosineSchedule(1e-3, 11, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupCosineSchedule(-1, 0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupCosineSchedule(1e-3, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupCosineSchedule(1e-3, 0, 10, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupCosineSchedule(1e-3, 0, 10).LearningRate(-1));
    }

    [FsCheck.Xunit.Property]
    public bool LearningRate_StaysWithinItsBounds_AndNeverRisesAfterWarmup(FsCheck.PositiveInt total, FsCheck.NonNegativeInt warmupSeed, FsCheck.NonNegativeInt stepSeed)
    {
        int t = Math.Min(total.Get, 10_000);
        int w = warmupSeed.Get % (t + 1);
        int s = stepSeed.Get % (2 * t + 1);
        var schedule = new WarmupCosineSchedule(1e-3, w, t, 0.05);
        double lr = schedule.LearningRate(s);
        bool bounded = lr <= 1e-3 * (1 + 1e-12) && lr >= (s < w ? 1e-3 / w * (1 - 1e-12) : 0.05e-3 * (1 - 1e-12));
        bool monotone = s < w || schedule.LearningRate(s + 1) <= lr;
        return bounded && monotone;
    }
}
