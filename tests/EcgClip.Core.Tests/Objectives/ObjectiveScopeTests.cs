using EcgClip.Core.Abstractions;
using EcgClip.Core.Native;
using EcgClip.Core.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Objectives;

/// <summary>Every registered objective: one backward step inside a dispose scope leaves no live tensors, and learnability follows the options.</summary>
public sealed class ObjectiveScopeTests
{
    public ObjectiveScopeTests() => TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    public static TheoryData<string> Names() => new(ObjectiveRegistry.CreateBuiltIn().List());

    [Theory]
    [MemberData(nameof(Names))]
    public void ComputeAndBackward_InsideScope_LeavesNoLiveTensors(string name)
    {
        using var objective = ObjectiveRegistry.CreateBuiltIn().Create(new ObjectiveOptions { Name = name });
        var inputs = new[] { randn(6, 4, requires_grad: true), randn(6, 4, requires_grad: true), randn(6, 4, requires_grad: true) };
        var groups = tensor(new long[] { 0, 1, 0, 2, 2, 3 });
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (var scope = NewDisposeScope())
        {
            var result = objective.Compute(new ContrastiveBatch(inputs[0], inputs[1]) { EcgEmbeddingsView2 = inputs[2], TextGroups = groups });
            result.Loss.backward();
            Assert.All(result.Terms.Values, t => Assert.False(t.requires_grad));
            Assert.All(result.TermsToDoubles().Values, v => Assert.True(double.IsFinite(v)));
        }
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.NotNull(inputs[0].grad);
        foreach (var x in inputs.Append(groups)) x.Dispose();
    }

    [Fact]
    public void Create_FixedScaleOptions_ParametersDoNotRequireGrad()
    {
        using var clip = new ClipObjective(new ObjectiveOptions { LearnableScale = false, Temperature = 0.05 });
        Assert.False(clip.LogitScale.requires_grad);
        Assert.Equal(20, clip.Scale, 4);
        using var siglip = new SigLipObjective(new ObjectiveOptions { Name = "siglip", LearnableScale = false });
        Assert.False(siglip.LogitScale.requires_grad);
        Assert.True(siglip.LogitBias.requires_grad);
        Assert.Equal(new ObjectiveOptions { Name = "siglip", Temperature = 0.1, LearnableScale = false, Bias = -10 }, siglip.Options);
    }
}
