using EcgClip.Core.Abstractions;
using EcgClip.Core.Native;
using EcgClip.Core.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Objectives;

public sealed class MerlObjectiveTests
{
    public MerlObjectiveTests() => TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    [Fact]
    public void Compute_MissingSecondView_ThrowsNamingIt()
    {
        using var objective = new MerlObjective();
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => objective.Compute(new ContrastiveBatch(randn(4, 8), randn(4, 8))));
        Assert.Contains("EcgEmbeddingsView2", ex.Message);
    }

    [Fact]
    public void Compute_TermsSumToLoss_EcgTextIsTwiceClipAtFixedTemperature()
    {
        using var merl = new MerlObjective();
        using var clip = new ClipObjective(initialTemperature: 0.07, learnableScale: false);
        merl.to(float64);
        clip.to(float64);
        using var scope = NewDisposeScope();
        var e = randn(6, 5, float64);
        var t = randn(6, 5, float64);
        var v = randn(6, 5, float64);
        var result = merl.Compute(new ContrastiveBatch(e, t) { EcgEmbeddingsView2 = v });
        var terms = result.TermsToDoubles();
        Assert.Equal(terms["ecg_text"] + terms["ecg_ecg"], result.Loss.item<double>(), 12);
        // MERL's clip_loss sums both directions; ClipObjective averages them (its float32-initialised scale differs by ~1e-7 relative).
        Assert.Equal(2 * clip.Compute(e, t).Loss.item<double>(), terms["ecg_text"], 4);
        Assert.Equal(2 * clip.Compute(e, v).Loss.item<double>(), terms["ecg_ecg"], 4);
    }

    [Fact]
    public void Compute_DuplicateGroups_AffectOnlyTheCrossModalTerm()
    {
        using var objective = new MerlObjective();
        using var scope = NewDisposeScope();
        var (e, t, v) = (randn(5, 4), randn(5, 4), randn(5, 4));
        var plain = objective.Compute(new ContrastiveBatch(e, t) { EcgEmbeddingsView2 = v }).TermsToDoubles();
        var grouped = objective.Compute(new ContrastiveBatch(e, t) { EcgEmbeddingsView2 = v, TextGroups = tensor(new long[] { 0, 0, 1, 2, 1 }) }).TermsToDoubles();
        Assert.Equal(plain["ecg_ecg"], grouped["ecg_ecg"]);
        Assert.NotEqual(plain["ecg_text"], grouped["ecg_text"]);
    }

    [Fact]
    public void Create_LearnableScale_ThrowsAndHasNoParameters()
    {
        Assert.Throws<ArgumentException>(() => new MerlObjective(new ObjectiveOptions { Name = "merl", LearnableScale = true }));
        using var objective = new MerlObjective();
        Assert.Empty(objective.parameters());
        Assert.Equal(1 / 0.07, objective.Scale, 12);
    }
}
