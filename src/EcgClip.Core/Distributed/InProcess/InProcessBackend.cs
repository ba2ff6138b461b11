using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Distributed.InProcess;

/// <summary>One rank of an <see cref="InProcessGroup"/> (see there).</summary>
internal sealed class InProcessBackend(InProcessGroup group, int rank) : IDistributedBackend
{
    public string Name => "inprocess";

    public int Rank { get; } = rank;

    public int WorldSize => group.WorldSize;

    public void AllReduceSum(Tensor tensor)
    {
        TensorBuffer.CheckReducible(tensor);
        var bytes = TensorBuffer.Bytes(tensor);
        var mine = bytes.ToArray();
        var sum = new byte[mine.Length];
        group.Exchange(Rank, $"AllReduceSum({TensorBuffer.Describe(tensor)})", mine, all =>
        {
            if (all.Any(a => a.Length != mine.Length)) throw new DistributedException("all-reduce needs the same element count on every rank");
            switch (tensor.dtype)
            {
                case ScalarType.Float32: SumInRankOrder<float>(all, sum); break;
                case ScalarType.Float64: SumInRankOrder<double>(all, sum); break;
                default: SumInRankOrder<long>(all, sum); break;
            }
        });
        sum.CopyTo(TensorBuffer.Bytes(tensor));
    }

    public Tensor AllGather(Tensor tensor)
    {
        TensorBuffer.CheckGatherable(tensor);
        using (var header = GatherShapes.Header(tensor))
        {
            byte[][]? headers = null;
            group.Exchange(Rank, "AllGather(shapes)", TensorBuffer.Bytes(header).ToArray(), all => headers = all);
            using var stacked = StackHeaders(headers!, header.shape[0]);
            GatherShapes.ThrowIfDifferent(stacked, tensor, Rank);
        }
        var result = empty(GatherShapes.ResultShape(tensor, WorldSize), tensor.dtype);
        var target = TensorBuffer.Bytes(result).ToArray();
        group.Exchange(Rank, $"AllGather({TensorBuffer.Describe(tensor)})", TensorBuffer.Bytes(tensor).ToArray(), all =>
        {
            int offset = 0;
            foreach (var part in all)
            {
                part.CopyTo(target, offset);
                offset += part.Length;
            }
        });
        target.CopyTo(TensorBuffer.Bytes(result));
        return result;
    }

    public void Broadcast(Tensor tensor, int root = 0)
    {
        TensorBuffer.CheckGatherable(tensor);
        TensorBuffer.CheckRoot(root, WorldSize);
        byte[]? fromRoot = null;
        group.Exchange(Rank, $"Broadcast({TensorBuffer.Describe(tensor)}, root {root})", TensorBuffer.Bytes(tensor).ToArray(), all => fromRoot = (byte[])all[root].Clone());
        fromRoot!.CopyTo(TensorBuffer.Bytes(tensor));
    }

    public void Barrier() => group.Exchange(Rank, "Barrier", [], _ => { });

    public void Abort(int exitCode) => throw new DistributedException($"rank {Rank} aborted the in-process group with exit code {exitCode}");

    public void Dispose()
    {
    }

    private static void SumInRankOrder<T>(byte[][] all, byte[] destination) where T : unmanaged, System.Numerics.INumber<T>
    {
        var sum = MemoryMarshal.Cast<byte, T>(destination.AsSpan());
        sum.Clear();
        foreach (var part in all)
        {
            var values = MemoryMarshal.Cast<byte, T>(part.AsSpan());
            for (int i = 0; i < sum.Length; i++) sum[i] += values[i];
        }
    }

    private static Tensor StackHeaders(byte[][] headers, long width)
    {
        var values = headers.SelectMany(h => MemoryMarshal.Cast<byte, long>(h.AsSpan()).ToArray()).ToArray();
        return TorchSharp.torch.tensor(values, ScalarType.Int64).reshape(headers.Length, width);
    }
}
