using EcgClip.Eval.Protocols;
using Microsoft.Extensions.DependencyInjection;

namespace EcgClip.Eval.Tests.Protocols.Reproduction;

public sealed class ReproductionRunnerTests
{
    [Fact]
    public void The_runner_resolves_from_DI_and_refuses_bad_options_before_any_work()
    {
        using var services = new ServiceCollection().AddEcgClip().AddEcgClipEval().BuildServiceProvider();
        var runner = services.GetRequiredService<ReproductionRunner>();
        string dir = Path.Combine(Path.GetTempPath(), "ecgclip-repro-bad-" + Guid.NewGuid().ToString("N"));
        var ex = Assert.Throws<ArgumentException>(() => runner.Run(new ReproductionOptions { OutputDirectory = dir, Tasks = ["superdiagnostic", "lvef"] }));
        Assert.Contains("lvef", ex.Message);
        Assert.Throws<ArgumentException>(() => runner.Run(new ReproductionOptions { OutputDirectory = dir, Fractions = [0.1, 1.5] }));
        Assert.Throws<ArgumentException>(() => runner.Run(new ReproductionOptions { OutputDirectory = "" }));
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Probe_settings_use_the_same_fractions_seeds_and_bootstrap_for_every_task()
    {
        var options = new ReproductionOptions { OutputDirectory = "x", Seeds = 3, Bootstrap = 200, Threads = 2, Limit = 40 };
        var a = ReproductionRunner.EvaluationOptionsFor("superdiagnostic", options);
        var b = ReproductionRunner.EvaluationOptionsFor("age", options);
        Assert.Equal([0.1, 1.0], a.DataEfficiency.Fractions);
        Assert.Equal([0UL, 1UL, 2UL], a.DataEfficiency.Seeds);
        Assert.Equal(a.DataEfficiency.Seeds, b.DataEfficiency.Seeds);
        Assert.Equal(200, b.DataEfficiency.Bootstrap.Resamples);
        Assert.Equal((EvaluationProtocol.LinearProbe, 40, "age"), (b.Protocol, b.MaxItemsPerSplit, b.Task));
    }
}
