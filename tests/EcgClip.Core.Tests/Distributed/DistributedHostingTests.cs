using EcgClip.Core.Distributed;
using EcgClip.Core.Native;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Distributed;

public sealed class DistributedHostingTests
{
    public DistributedHostingTests() => TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    [Fact]
    public void AddEcgClipDistributed_Default_ResolvesSingleProcessBackendAndGather()
    {
        using var provider = new ServiceCollection().AddEcgClipDistributed().BuildServiceProvider();
        var backend = provider.GetRequiredService<IDistributedBackend>();
        Assert.IsType<SingleProcessBackend>(backend);
        Assert.Equal((0, 1, true), (backend.Rank, backend.WorldSize, backend.IsPrimary));
        using var x = ones(3, 2);
        using var gathered = provider.GetRequiredService<EmbeddingGather>().Gather(x);
        Assert.Equal(x.shape, gathered.shape);
    }

    [Fact]
    public void AddEcgClipDistributed_UnknownBackend_FailsValidationListingKnownNames()
    {
        using var provider = new ServiceCollection().AddEcgClipDistributed(o => o.Backend = "nccl").BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("none, mpi", error.Message);
    }

    [Fact]
    public void AddEcgClipDistributed_MpiWithoutLibrary_ThrowsSayingWhatToInstall()
    {
        using var provider = new ServiceCollection()
            .AddEcgClipDistributed(o => { o.Backend = "mpi"; o.MpiLibrary = "/nonexistent/libmpich.so.12"; })
            .BuildServiceProvider();
        var error = Assert.Throws<DistributedUnavailableException>(() => provider.GetRequiredService<IDistributedBackend>());
        Assert.Contains("apt-get install mpich", error.Message);
        Assert.Contains("/nonexistent/libmpich.so.12", error.Message);
    }

    [Fact]
    public void ParameterDigest_OneElementChanged_DigestChanges()
    {
        // b is a copy of a (not a second draw from the global generator, which parallel test classes also use)
        using var a = nn.Linear(4, 3);
        using var b = nn.Linear(4, 3);
        using (no_grad())
        {
            b.weight!.copy_(a.weight!);
            b.bias!.copy_(a.bias!);
        }
        string digest = ParameterDigest.Compute(a);
        Assert.Equal(64, digest.Length);
        Assert.Equal(digest, ParameterDigest.Compute(b));
        using (no_grad()) b.weight![1, 2] = b.weight[1, 2] + 1e-7f;
        Assert.NotEqual(digest, ParameterDigest.Compute(b));
    }

    [Fact]
    public void GradientSynchronizer_SingleProcess_LeavesGradientsUnchanged()
    {
        torch.manual_seed(2);
        using var model = nn.Linear(3, 2);
        model.forward(ones(4, 3)).sum().backward();
        var before = model.weight!.grad!.data<float>().ToArray();
        var sync = GradientSynchronizer.ForGlobalBatch(new SingleProcessBackend(), model.parameters(), []);
        sync.Synchronize();
        Assert.Equal(before, model.weight.grad!.data<float>().ToArray());
        Assert.Equal((3 * 2 + 2) * 4, sync.BytesPerStep);
    }

    [Fact]
    public void ForModel_ObjectiveInsideModel_AveragesOnlyObjectiveParameters()
    {
        using var model = new TwoPartModel();
        Assert.Equal(3, model.parameters().Count());
        var sync = GradientSynchronizer.ForModel(new SingleProcessBackend(), model, model.Objective);
        Assert.Equal((3 * 2 + 2) * 4 + 4, sync.BytesPerStep);
        Assert.Equal(2, sync.BucketCount); // towers (sum) and objective (mean) never share a bucket
    }

    [Fact]
    public void GlobalReportGroups_SameTextOnAnyRank_SameId()
    {
        var a = GlobalReportGroups.Compute(["sinus rhythm", "atrial fibrillation", "sinus rhythm"]);
        var b = GlobalReportGroups.Compute(["atrial fibrillation"]);
        Assert.Equal(a[0], a[2]);
        Assert.NotEqual(a[0], a[1]);
        Assert.Equal(a[1], b[0]);
    }

    private sealed class TwoPartModel : nn.Module
    {
        private readonly TorchSharp.Modules.Linear towers = nn.Linear(3, 2);
        private readonly EcgClip.Core.Objectives.ClipObjective objective = new(0.07);

        public TwoPartModel() : base("two_part") => RegisterComponents();

        public EcgClip.Core.Objectives.ClipObjective Objective => objective;
    }
}
