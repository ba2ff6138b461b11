using EcgClip.Core.SafeTensors;
using static TorchSharp.torch;

namespace EcgClip.Core.Training.Checkpoints;

/// <summary>
/// Named tensors as a safetensors file, bit-exact in their own dtype (float32, bfloat16, float16, float64, int64, int32,
/// int16, int8, uint8, bool): what is saved is what loads, byte for byte.
/// </summary>
public static class CheckpointTensors
{
    /// <summary>
    /// Writes <paramref name="tensors"/> (moved to the CPU and made contiguous where they are not) to
    /// <paramref name="path"/> in the given order, streaming each from its native storage: no managed copy of the
    /// model (a ResNet-18 checkpoint is ≈40 MB; copying it through arrays grew the resident size by that much per
    /// checkpoint until some later gen-2 collection).
    /// </summary>
    /// <exception cref="ArgumentException">A name repeats, or a dtype has no safetensors spelling (e.g. complex).</exception>
    public static void Save(string path, IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        var layouts = new List<SafeTensorLayout>(list.Count);
        foreach (var (name, t) in list)
        {
            ArgumentNullException.ThrowIfNull(t, name);
            layouts.Add(new SafeTensorLayout(name, ToSafe(t.dtype, name), t.shape.ToArray()));
        }
        SafeTensorsWriter.Write(path, layouts, (i, stream) =>
        {
            var t = list[i].Tensor;
            if (t.numel() == 0) return;
            using var cpu = t.detach().cpu().contiguous(); // an alias, not a copy, for a contiguous CPU tensor
            stream.Write(cpu.bytes);
        }, metadata);
    }

    /// <summary>
    /// Reads every tensor of <paramref name="path"/> as a new CPU tensor of its stored dtype and shape (the caller owns
    /// them), in the file's order.
    /// </summary>
    /// <exception cref="CheckpointFormatException">Missing or malformed file, naming it and the reason.</exception>
    public static IReadOnlyDictionary<string, Tensor> Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new CheckpointFormatException(path, "tensor file is missing");
        SafeTensorsFile file;
        try
        {
            file = SafeTensorsFile.Open(path);
        }
        catch (InvalidDataException ex)
        {
            throw new CheckpointFormatException(path, ex.Message, ex);
        }
        using (file)
        {
            var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var info in file.Tensors.Values.OrderBy(i => i.Begin).ThenBy(i => i.End))
            {
                var t = empty(info.Shape.ToArray(), FromSafe(info.DType));
                if (info.ElementCount > 0) t.bytes = file.ReadBytes(info.Name);
                result.Add(info.Name, t);
            }
            return result;
        }
    }

    /// <summary>The raw bytes of <paramref name="t"/> (CPU, contiguous, row-major).</summary>
    internal static byte[] RawBytes(Tensor t)
    {
        if (t.numel() == 0) return [];
        using var cpu = t.detach().cpu().contiguous();
        return cpu.bytes.ToArray();
    }

    /// <summary>The safetensors dtype of <paramref name="type"/>.</summary>
    internal static SafeTensorDType ToSafe(ScalarType type, string name) => type switch
    {
        ScalarType.Float32 => SafeTensorDType.F32,
        ScalarType.BFloat16 => SafeTensorDType.BF16,
        ScalarType.Float16 => SafeTensorDType.F16,
        ScalarType.Float64 => SafeTensorDType.F64,
        ScalarType.Int64 => SafeTensorDType.I64,
        ScalarType.Int32 => SafeTensorDType.I32,
        ScalarType.Int16 => SafeTensorDType.I16,
        ScalarType.Int8 => SafeTensorDType.I8,
        ScalarType.Byte => SafeTensorDType.U8,
        ScalarType.Bool => SafeTensorDType.Bool,
        _ => throw new ArgumentException($"tensor '{name}': dtype {type} cannot be stored as safetensors"),
    };

    private static ScalarType FromSafe(SafeTensorDType type) => type switch
    {
        SafeTensorDType.F32 => ScalarType.Float32,
        SafeTensorDType.BF16 => ScalarType.BFloat16,
        SafeTensorDType.F16 => ScalarType.Float16,
        SafeTensorDType.F64 => ScalarType.Float64,
        SafeTensorDType.I64 => ScalarType.Int64,
        SafeTensorDType.I32 => ScalarType.Int32,
        SafeTensorDType.I16 => ScalarType.Int16,
        SafeTensorDType.I8 => ScalarType.Int8,
        SafeTensorDType.U8 => ScalarType.Byte,
        _ => ScalarType.Bool,
    };
}
