using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Distributed;

/// <summary>Checks and raw views of the CPU tensors that collectives read and write in place.</summary>
internal static class TensorBuffer
{
    /// <summary>Throws unless <paramref name="tensor"/> is a contiguous CPU tensor of a dtype that can be summed.</summary>
    public static void CheckReducible(Tensor tensor)
    {
        CheckGatherable(tensor);
        if (tensor.dtype is not (ScalarType.Float32 or ScalarType.Float64 or ScalarType.Int64))
            throw new ArgumentException($"all-reduce supports float32, float64 and int64 tensors, got {tensor.dtype}", nameof(tensor));
    }

    /// <summary>Throws unless <paramref name="tensor"/> is a contiguous CPU tensor (any dtype).</summary>
    public static void CheckGatherable(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.device_type != DeviceType.CPU)
            throw new ArgumentException($"collectives run on CPU tensors, got one on {tensor.device}; move it with .cpu() (NCCL for GPU tensors is not implemented)", nameof(tensor));
        if (!tensor.is_contiguous()) throw new ArgumentException("collectives need a contiguous tensor; call .contiguous() first", nameof(tensor));
    }

    /// <summary>Throws unless <paramref name="root"/> is a valid rank.</summary>
    public static void CheckRoot(int root, int worldSize)
    {
        if (root < 0 || root >= worldSize) throw new ArgumentOutOfRangeException(nameof(root), root, $"root must be a rank in 0..{worldSize - 1}");
    }

    /// <summary>Size of <paramref name="tensor"/>'s data in bytes.</summary>
    public static long ByteCount(Tensor tensor) => tensor.NumberOfElements * tensor.ElementSize;

    /// <summary>The tensor's data as bytes (a view of its native memory, not a copy).</summary>
    public static Span<byte> Bytes(Tensor tensor) => tensor.bytes;

    /// <summary>Shape as text, e.g. "[16, 256]".</summary>
    public static string Shape(Tensor tensor) => "[" + string.Join(", ", tensor.shape) + "]";

    /// <summary>Short description for messages, e.g. "float32 [16, 256]".</summary>
    public static string Describe(Tensor tensor) => $"{tensor.dtype.ToString().ToLowerInvariant()} {Shape(tensor)}";
}
