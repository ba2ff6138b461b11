using EcgClip.Core.Native;
using EcgClip.Core.Training.Optimization;

namespace EcgClip.Core.Tests.Training;

/// <summary>The whole ECGCLIP model's parameters split into AdamW's decay groups as the trainer uses them.</summary>
public sealed class ModelDecayGroupsTests
{
    public ModelDecayGroupsTests() => TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    [Fact]
    public void The_objectives_logit_scale_biases_and_norms_of_both_towers_get_no_weight_decay()
    {
        using var bundle = TinyTraining.Factory().Create(TinyTraining.Config(), TinyTraining.Reports, 0);
        using var groups = AdamWParameterGroups.Create(bundle.Model, 1e-3, 0.05);
        Assert.Contains("objective.logit_scale", groups.NoDecay);
        Assert.Contains(groups.NoDecay, n => n.StartsWith("ecg.", StringComparison.Ordinal) && n.EndsWith(".bias", StringComparison.Ordinal));
        Assert.Contains(groups.NoDecay, n => n.StartsWith("text.", StringComparison.Ordinal) && n.EndsWith(".bias", StringComparison.Ordinal));
        Assert.Contains(groups.Decay, n => n.StartsWith("ecg.", StringComparison.Ordinal) && n.Contains("conv", StringComparison.Ordinal));
        Assert.Contains(groups.Decay, n => n.StartsWith("text.", StringComparison.Ordinal));
        Assert.DoesNotContain(groups.Decay, n => n.Contains("logit", StringComparison.Ordinal));
        Assert.Equal(bundle.Model.parameters().Count(), groups.Decay.Count + groups.NoDecay.Count);
    }
}
