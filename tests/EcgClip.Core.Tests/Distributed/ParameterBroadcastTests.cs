using EcgClip.Core.Distributed;
using EcgClip.Core.Distributed.InProcess;
using EcgClip.Core.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Distributed;

public sealed class ParameterBroadcastTests
{
    public ParameterBroadcastTests() => TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    [Fact]
    public void AverageBuffers_BatchNormStatisticsDifferPerRank_BecomeTheirMean()
    {
        using var group = new InProcessGroup(2);
        var results = group.Run(backend =>
        {
            using var bn = nn.BatchNorm1d(3);
            bn.train();
            using (var x = full(8, 3, backend.Rank == 0 ? 1f : 3f) + arange(8).unsqueeze(1) * 0.1f) bn.forward(x).Dispose();
            var before = bn.running_mean!.data<float>().ToArray();
            ParameterBroadcast.AverageBuffers(backend, bn);
            return (Before: before, After: bn.running_mean!.data<float>().ToArray(), Batches: bn.num_batches_tracked!.item<long>());
        });
        Assert.NotEqual(results[0].Before, results[1].Before);
        Assert.Equal(results[0].After, results[1].After);
        for (int c = 0; c < 3; c++) Assert.Equal((results[0].Before[c] + results[1].Before[c]) / 2, results[0].After[c], 6);
        Assert.Equal(1L, results[1].Batches);
    }

    [Fact]
    public void ThrowIfDiverged_OneRankPerturbed_ThrowsNamingTheRank_AfterBroadcastPasses()
    {
        using var group = new InProcessGroup(2);
        var outcome = group.Run(backend =>
        {
            torch.manual_seed(backend.Rank); // different weights per rank
            using var model = nn.Linear(4, 2);
            var error = Record.Exception(() => ParameterDigest.ThrowIfDiverged(backend, model));
            ParameterBroadcast.FromRoot(backend, model);
            string digest = ParameterDigest.ThrowIfDiverged(backend, model);
            return (Error: error, Digest: digest);
        });
        Assert.All(outcome, o => Assert.Contains("rank(s) 1", Assert.IsType<DistributedException>(o.Error).Message));
        Assert.Equal(outcome[0].Digest, outcome[1].Digest);
    }
}
