using EcgClip.Core.Abstractions;
using EcgClip.Core.Distributed;
using EcgClip.Core.Distributed.InProcess;
using EcgClip.Core.Native;
using EcgClip.Core.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Distributed;

/// <summary>A distributed step (gather, loss, backward, gradient sync) inside a dispose scope leaves no live tensors behind.</summary>
public sealed class DistributedScopeTests
{
    public DistributedScopeTests() => TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    [Fact]
    public void GatherAndSynchronize_InsideScope_LeaveNoLiveTensorsOnAnyRank()
    {
        using var group = new InProcessGroup(2);
        var leaked = group.Run(backend =>
        {
            using var tower = nn.Linear(6, 4);
            using var objective = new ClipObjective(0.07);
            using var x = ones(3, 6) * (backend.Rank + 1) + arange(18).reshape(3, 6) * 0.1f;
            using var y = ones(3, 4) * (backend.Rank + 1) - arange(12).reshape(3, 4) * 0.1f;
            var gather = new EmbeddingGather(backend);
            var sync = GradientSynchronizer.ForGlobalBatch(backend, tower.parameters(), objective.parameters());
            void Step()
            {
                using var scope = NewDisposeScope();
                var batch = gather.Gather(new ContrastiveBatch(tower.forward(x), y));
                objective.Compute(batch).Loss.backward();
                sync.Synchronize();
            }
            Step(); // warm-up: gradients now exist
            long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            Step();
            return DisposeScopeManager.Statistics.ThreadTotalLiveCount - before;
        });
        Assert.All(leaked, n => Assert.Equal(0, n));
    }
}
