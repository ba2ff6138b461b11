using EcgClip.Core.Abstractions;
using EcgClip.Core.Distributed;
using EcgClip.Core.Distributed.InProcess;
using EcgClip.Core.Native;
using EcgClip.Core.Objectives;
using EcgClip.Distributed.Checks;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Distributed;

/// <summary>
/// The data-parallel math with a fake 2-rank backend (two threads of this process): global-batch CLIP loss and its
/// embedding gradients equal the single-process ones on the concatenated batch, synchronised gradients equal the
/// single-process gradient, and parameters stay bit-identical.
/// </summary>
public sealed class InProcessGlobalBatchTests
{
    public InProcessGlobalBatchTests()
    {
        TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
        torch.set_num_threads(1);
    }

    [Fact]
    public void GlobalBatchStep_TwoThreadRanks_MatchesSingleProcessAndStaysIdentical()
    {
        using var group = new InProcessGroup(2, TimeSpan.FromSeconds(60));
        var reports = group.Run(backend =>
        {
            using var step = new GlobalBatchStep(backend, batchPerRank: 6, seed: 11);
            if (backend.Rank == 1) step.Perturb(0.02);
            step.BroadcastFromRoot();
            return Enumerable.Range(0, 4).Select(step.Run).ToArray();
        });
        for (int s = 0; s < 4; s++)
        {
            foreach (var rank in reports)
            {
                Assert.True(rank[s].LossDifference < 1e-6, $"loss: {rank[s]}");
                Assert.True(rank[s].EmbeddingGradientDifference < 1e-6, $"embedding gradient: {rank[s]}");
                Assert.True(rank[s].GradientDifference < 1e-5, $"parameter gradient: {rank[s]}");
                Assert.True(rank[s].NaiveAverageDifference > 1e-3, $"averaging tower gradients should be wrong: {rank[s]}");
            }
            Assert.Equal(reports[0][s].Digest, reports[1][s].Digest);
            Assert.Equal(reports[0][s].Loss, reports[1][s].Loss);
        }
    }

    [Fact]
    public void ClipLoss_GatheredOverTwoRanks_EqualsConcatenatedBatchLossAndEmbeddingGradients()
    {
        torch.manual_seed(3);
        using var ecgAll = randn(10, 8);
        using var textAll = randn(10, 8);
        using var reference = new ClipObjective(0.07);
        var e = ecgAll.detach().clone().requires_grad_(true);
        var t = textAll.detach().clone().requires_grad_(true);
        var expected = reference.Compute(e, t);
        expected.Loss.backward();
        double expectedLoss = expected.Loss.item<float>();

        using var group = new InProcessGroup(2);
        var results = group.Run(backend =>
        {
            using var scope = NewDisposeScope();
            using var objective = new ClipObjective(0.07);
            var gather = new EmbeddingGather(backend);
            var le = ecgAll.narrow(0, backend.Rank * 5, 5).detach().clone().requires_grad_(true);
            var lt = textAll.narrow(0, backend.Rank * 5, 5).detach().clone().requires_grad_(true);
            var global = gather.Gather(new ContrastiveBatch(le, lt));
            var loss = objective.Compute(global).Loss;
            loss.backward();
            return (Loss: (double)loss.item<float>(), Ecg: le.grad!.data<float>().ToArray(), Text: lt.grad!.data<float>().ToArray());
        });
        for (int r = 0; r < 2; r++)
        {
            Assert.InRange(Math.Abs(results[r].Loss - expectedLoss), 0, 1e-6);
            AssertClose(e.grad!.narrow(0, r * 5, 5).data<float>().ToArray(), results[r].Ecg, 1e-6);
            AssertClose(t.grad!.narrow(0, r * 5, 5).data<float>().ToArray(), results[r].Text, 1e-6);
        }
    }

    [Fact]
    public void Gather_OtherRanksRows_AreDetachedAndInRankOrder()
    {
        using var group = new InProcessGroup(3);
        var results = group.Run(backend =>
        {
            using var scope = NewDisposeScope();
            var local = full(2, 4, (float)backend.Rank).requires_grad_(true);
            var all = new EmbeddingGather(backend).Gather(local);
            all.sum().backward();
            return (Rows: all.select(1, 0).data<float>().ToArray(), Grad: local.grad!.sum().item<float>());
        });
        foreach (var (rows, grad) in results)
        {
            Assert.Equal(new float[] { 0, 0, 1, 1, 2, 2 }, rows);
            Assert.Equal(8f, grad); // only the local 2×4 rows carry gradient
        }
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        double max = expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(max <= tolerance, $"max difference {max:E2} > {tolerance:E0}");
    }
}
