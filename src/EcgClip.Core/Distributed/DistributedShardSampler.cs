namespace EcgClip.Core.Distributed;

/// <summary>
/// Splits a dataset of <see cref="Count"/> items over ranks for one epoch: all ranks compute the same permutation of
/// 0..Count−1 from (seed, epoch), the tail that does not divide by the world size is dropped (so every rank gets
/// exactly <see cref="SamplesPerRank"/> items and ranks never wait on a short last batch), and rank r takes positions
/// r, r + W, r + 2W, … of the rest. Shares are disjoint, equal and deterministic; a new epoch reshuffles.
/// </summary>
/// <remarks>
/// The permutation is a Fisher–Yates shuffle driven by SplitMix64, so it is the same on every machine and .NET version
/// (unlike <see cref="Random"/>'s unspecified algorithm). Batch k of an epoch on rank r is items
/// <c>[k·b, (k+1)·b)</c> of <see cref="EpochIndices"/>; the gathered global batch is then rank 0's, rank 1's, … in order.
/// </remarks>
public sealed class DistributedShardSampler
{
    /// <summary>Creates the sampler for <paramref name="count"/> items, this rank and world size, and the run's seed.</summary>
    public DistributedShardSampler(int count, int rank, int worldSize, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        if (rank < 0 || rank >= worldSize) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"rank must be in 0..{worldSize - 1}");
        if (count < worldSize) throw new ArgumentException($"{count} items cannot be shared by {worldSize} ranks", nameof(count));
        Count = count;
        Rank = rank;
        WorldSize = worldSize;
        Seed = seed;
    }

    /// <summary>Items in the dataset.</summary>
    public int Count { get; }

    /// <summary>This rank.</summary>
    public int Rank { get; }

    /// <summary>Number of ranks.</summary>
    public int WorldSize { get; }

    /// <summary>The run's seed (shared by all ranks).</summary>
    public ulong Seed { get; }

    /// <summary>Items per rank and epoch: ⌊Count / WorldSize⌋.</summary>
    public int SamplesPerRank => Count / WorldSize;

    /// <summary>Items left out of each epoch (different ones each epoch): Count mod WorldSize.</summary>
    public int DroppedPerEpoch => Count % WorldSize;

    /// <summary>This rank's dataset indices for <paramref name="epoch"/>, in the order to visit them.</summary>
    public int[] EpochIndices(int epoch)
    {
        var permutation = Permutation(Count, Seed, epoch);
        var mine = new int[SamplesPerRank];
        for (int i = 0; i < mine.Length; i++) mine[i] = permutation[i * WorldSize + Rank];
        return mine;
    }

    /// <summary>This rank's items of <paramref name="items"/> (Count items) for <paramref name="epoch"/>, in visiting order.</summary>
    /// <exception cref="ArgumentException"><paramref name="items"/> does not have <see cref="Count"/> items.</exception>
    public IReadOnlyList<T> Shard<T>(IReadOnlyList<T> items, int epoch)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count != Count) throw new ArgumentException($"the sampler was made for {Count} items, got {items.Count}", nameof(items));
        return EpochIndices(epoch).Select(i => items[i]).ToArray();
    }

    /// <summary>The epoch's permutation of 0..<paramref name="count"/>−1 that every rank computes.</summary>
    public static int[] Permutation(int count, ulong seed, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        ulong state = seed ^ (0x9E3779B97F4A7C15UL * (ulong)(epoch + 1));
        for (int i = count - 1; i > 0; i--)
        {
            int j = (int)(Next(ref state) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
