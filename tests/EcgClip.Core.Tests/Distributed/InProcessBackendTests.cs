using EcgClip.Core.Distributed;
using EcgClip.Core.Distributed.InProcess;
using EcgClip.Core.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Distributed;

public sealed class InProcessBackendTests
{
    public InProcessBackendTests() => TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    [Fact]
    public void Collectives_ThreeRanks_SumGatherBroadcastAsMpi()
    {
        using var group = new InProcessGroup(3);
        var results = group.Run(backend =>
        {
            using var sum = tensor(new double[] { backend.Rank, 10 * backend.Rank });
            backend.AllReduceSum(sum);
            using var ints = tensor(new long[] { backend.Rank + 1 });
            backend.AllReduceSum(ints);
            using var gathered = backend.AllGather(tensor(new float[] { backend.Rank }));
            using var root = tensor(new float[] { backend.Rank + 100 });
            backend.Broadcast(root, root: 2);
            backend.Barrier();
            return (Sum: sum.data<double>().ToArray(), Ints: ints.item<long>(), Gathered: gathered.data<float>().ToArray(), Root: root.item<float>());
        });
        foreach (var r in results)
        {
            Assert.Equal(new double[] { 3, 30 }, r.Sum);
            Assert.Equal(6L, r.Ints);
            Assert.Equal(new float[] { 0, 1, 2 }, r.Gathered);
            Assert.Equal(102f, r.Root);
        }
    }

    [Fact]
    public void AllGather_DifferentShapesOnRanks_ThrowsNamingBothShapes()
    {
        using var group = new InProcessGroup(2);
        var error = Assert.Throws<AggregateException>(() => group.Run(backend =>
        {
            using var x = zeros(backend.Rank == 0 ? 4 : 3, 2);
            using var all = backend.AllGather(x);
            return 0;
        }));
        var message = error.InnerExceptions.OfType<DistributedException>().First().Message;
        Assert.Contains("[4, 2]", message);
        Assert.Contains("[3, 2]", message);
    }

    [Fact]
    public void AllReduceSum_PeerNeverJoins_ThrowsCollectiveTimeout()
    {
        using var group = new InProcessGroup(2, TimeSpan.FromMilliseconds(300));
        var error = Assert.Throws<AggregateException>(() => group.Run(backend =>
        {
            if (backend.Rank == 1) return 0; // skips the collective
            using var x = ones(4);
            backend.AllReduceSum(x);
            return 1;
        }));
        var timeout = Assert.IsType<CollectiveTimeoutException>(Assert.Single(error.InnerExceptions));
        Assert.Equal(0, timeout.Rank);
        Assert.Contains("did not complete within", timeout.Message);
    }

    [Fact]
    public void AllReduceSum_UnsupportedTensor_ThrowsArgumentException()
    {
        var backend = new SingleProcessBackend();
        using var half = ones(4, ScalarType.Float16);
        Assert.Throws<ArgumentException>(() => backend.AllReduceSum(half));
        using var strided = ones(4, 4).t();
        Assert.Throws<ArgumentException>(() => backend.AllGather(strided));
    }

    [Fact]
    public void Watchdog_CompletionNeverComes_ThrowsAfterTimeout()
    {
        var watchdog = new CollectiveWatchdog(TimeSpan.FromMilliseconds(200));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<CollectiveTimeoutException>(() => watchdog.Wait("Barrier", 1, 4, () => false));
        Assert.InRange(clock.Elapsed.TotalMilliseconds, 190, 5000);
        Assert.Equal("Barrier", error.Operation);
        int polls = 0;
        watchdog.Wait("Barrier", 0, 2, () => ++polls == 3);
        Assert.Equal(3, polls);
    }

    [Fact]
    public void AnyRank_OneRankCancelled_AllRanksStop()
    {
        using var group = new InProcessGroup(3);
        var stop = group.Run(backend => backend.AnyRank(backend.Rank == 2));
        Assert.All(stop, Assert.True);
        var go = group.Run(backend => backend.AnyRank(false));
        Assert.All(go, Assert.False);
        var sums = group.Run(backend => backend.SumOverRanks(backend.Rank + 0.5));
        Assert.All(sums, s => Assert.Equal(4.5, s));
    }
}
