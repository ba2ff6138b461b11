using EcgClip.Core.Distributed;

namespace EcgClip.Core.Tests.Distributed;

public sealed class DistributedShardSamplerTests
{
    [Theory]
    [InlineData(67, 2)]
    [InlineData(100, 3)]
    [InlineData(5, 5)]
    public void EpochIndices_AllRanks_DisjointEqualAndCoverAllButRemainder(int count, int world)
    {
        var shares = Enumerable.Range(0, world).Select(r => new DistributedShardSampler(count, r, world, 42).EpochIndices(3)).ToArray();
        Assert.All(shares, s => Assert.Equal(count / world, s.Length));
        var union = shares.SelectMany(s => s).ToArray();
        Assert.Equal(union.Length, union.Distinct().Count());
        Assert.Equal(count - count % world, union.Length);
        Assert.All(union, i => Assert.InRange(i, 0, count - 1));
    }

    [Fact]
    public void EpochIndices_SameSeedAndEpoch_Deterministic_NewEpochReshuffles()
    {
        var a = new DistributedShardSampler(50, 1, 2, 7);
        var b = new DistributedShardSampler(50, 1, 2, 7);
        Assert.Equal(a.EpochIndices(0), b.EpochIndices(0));
        Assert.NotEqual(a.EpochIndices(0), a.EpochIndices(1));
        Assert.NotEqual(a.EpochIndices(0), new DistributedShardSampler(50, 1, 2, 8).EpochIndices(0));
    }

    [Fact]
    public void EpochIndices_Rank_TakesEveryWorldthItemOfPermutation()
    {
        var permutation = DistributedShardSampler.Permutation(10, 99, 2);
        Assert.Equal(Enumerable.Range(0, 10), permutation.Order());
        Assert.Equal(new[] { permutation[1], permutation[4], permutation[7] }, new DistributedShardSampler(10, 1, 3, 99).EpochIndices(2));
    }

    [Fact]
    public void Constructor_BadRankOrTooFewItems_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedShardSampler(10, 2, 2, 0));
        Assert.Throws<ArgumentException>(() => new DistributedShardSampler(1, 0, 2, 0));
    }
}
