using static TorchSharp.torch;

namespace EcgClip.Core.Distributed;

/// <summary>
/// The shape check that precedes every all-gather: each rank contributes a small int64 header (rank count, dtype,
/// dimensions), so that ranks passing different shapes fail with both shapes named instead of exchanging garbage.
/// </summary>
internal static class GatherShapes
{
    private const int MaxDims = 8;

    /// <summary>Header <c>[2 + 8]</c>: dim count, dtype code, then the dimensions (−1 padded).</summary>
    public static Tensor Header(Tensor tensor)
    {
        if (tensor.dim() > MaxDims) throw new ArgumentException($"all-gather supports at most {MaxDims} dimensions, got {tensor.dim()}", nameof(tensor));
        var values = new long[2 + MaxDims];
        Array.Fill(values, -1L);
        values[0] = tensor.dim();
        values[1] = (long)tensor.dtype;
        for (int i = 0; i < tensor.dim(); i++) values[2 + i] = tensor.shape[i];
        return TorchSharp.torch.tensor(values, ScalarType.Int64);
    }

    /// <summary>Throws <see cref="DistributedException"/> naming the first rank whose header differs from this rank's.</summary>
    public static void ThrowIfDifferent(Tensor headers, Tensor local, int rank)
    {
        var all = headers.data<long>().ToArray();
        int width = (int)headers.shape[1];
        var mine = all.AsSpan(rank * width, width);
        for (int r = 0; r < headers.shape[0]; r++)
        {
            var theirs = all.AsSpan(r * width, width);
            if (!theirs.SequenceEqual(mine))
                throw new DistributedException($"all-gather needs the same shape and dtype on every rank: rank {rank} has {TensorBuffer.Describe(local)}, rank {r} has {Describe(theirs)}; give every rank equal batch sizes (DistributedShardSampler drops the remainder)");
        }
    }

    /// <summary>Shape of the gathered result: <c>[world · n, …]</c>, or <c>[world]</c> for a scalar.</summary>
    public static long[] ResultShape(Tensor tensor, int worldSize) =>
        tensor.dim() == 0 ? [worldSize] : [worldSize * tensor.shape[0], .. tensor.shape.Skip(1)];

    private static string Describe(ReadOnlySpan<long> header)
    {
        int dims = (int)header[0];
        var dtype = ((ScalarType)header[1]).ToString().ToLowerInvariant();
        return $"{dtype} [{string.Join(", ", header.Slice(2, dims).ToArray())}]";
    }
}
