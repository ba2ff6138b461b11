using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace EcgClip.Core.SafeTensors;

/// <summary>Writes float32 tensors in the safetensors format (header padded to 8 bytes with spaces).</summary>
public static class SafeTensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> (name → row-major values and shape) as F32 to <paramref name="path"/>.</summary>
    public static void WriteFloat32(string path, IReadOnlyDictionary<string, (float[] Values, long[] Shape)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var entries = new List<SafeTensorEntry>(tensors.Count);
        foreach (var (name, (values, shape)) in tensors)
        {
            long count = shape.Aggregate(1L, (a, b) => a * b);
            if (count != values.Length) throw new ArgumentException($"tensor '{name}': shape [{string.Join(", ", shape)}] needs {count} values, got {values.Length}");
            entries.Add(new SafeTensorEntry(name, SafeTensorDType.F32, shape, LittleEndianBytes(values)));
        }
        Write(path, entries, metadata);
    }

    private static byte[] LittleEndianBytes(float[] values)
    {
        var bytes = new byte[4L * values.Length];
        if (BitConverter.IsLittleEndian) System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).CopyTo(bytes);
        else for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> with their own dtypes (raw little-endian bytes, e.g. BF16 or I64 as stored) to
    /// <paramref name="path"/>, in the given order.
    /// </summary>
    /// <exception cref="ArgumentException">A name repeats, or a tensor's byte count differs from elements × element size.</exception>
    public static void Write(string path, IEnumerable<SafeTensorEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        foreach (var t in list)
        {
            long expected = ByteLength(t.Name, t.DType, t.Shape);
            if (expected != t.Data.Length) throw new ArgumentException($"tensor '{t.Name}': {t.DType} [{string.Join(", ", t.Shape)}] needs {expected} bytes, got {t.Data.Length}");
        }
        Write(path, list.Select(t => new SafeTensorLayout(t.Name, t.DType, t.Shape)).ToList(), (i, stream) => stream.Write(list[i].Data.Span), metadata);
    }

    /// <summary>
    /// Writes the header for <paramref name="layouts"/>, then asks <paramref name="writeData"/> to write tensor
    /// <c>i</c>'s raw little-endian bytes (exactly elements × element size) to the stream, in order. Lets callers stream
    /// from memory they do not copy (e.g. a tensor's native storage), so a checkpoint of a large model adds no managed
    /// allocations of its size.
    /// </summary>
    /// <exception cref="ArgumentException">A name repeats or is reserved.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="writeData"/> wrote a different number of bytes than the header states.</exception>
    public static void Write(string path, IReadOnlyList<SafeTensorLayout> layouts, Action<int, Stream> writeData, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(layouts);
        ArgumentNullException.ThrowIfNull(writeData);
        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        var lengths = new long[layouts.Count];
        long offset = 0;
        for (int i = 0; i < layouts.Count; i++)
        {
            var t = layouts[i];
            if (t.Name == "__metadata__" || header.ContainsKey(t.Name)) throw new ArgumentException($"tensor name '{t.Name}' is reserved or repeated");
            lengths[i] = ByteLength(t.Name, t.DType, t.Shape);
            header[t.Name] = new { dtype = DTypeName(t.DType), shape = t.Shape, data_offsets = new[] { offset, offset + lengths[i] } };
            offset += lengths[i];
        }
        if (metadata is not null) header["__metadata__"] = metadata;
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        int padded = (json.Length + 7) / 8 * 8;
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
        stream.Write(len);
        stream.Write(json);
        for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
        for (int i = 0; i < layouts.Count; i++)
        {
            long before = stream.Position;
            writeData(i, stream);
            if (stream.Position - before != lengths[i])
                throw new InvalidOperationException($"{path}: tensor '{layouts[i].Name}' wrote {stream.Position - before} bytes, its header states {lengths[i]}");
        }
    }

    private static long ByteLength(string name, SafeTensorDType dtype, long[] shape) =>
        shape.Any(d => d < 0) ? throw new ArgumentException($"tensor '{name}': negative dimension in [{string.Join(", ", shape)}]")
            : checked(shape.Aggregate(1L, (a, b) => checked(a * b)) * SafeTensorsFile.ElementSize(dtype));

    /// <summary>The header spelling of <paramref name="dtype"/> (<c>F32</c>, <c>BF16</c>, <c>I64</c>, <c>BOOL</c>, …).</summary>
    public static string DTypeName(SafeTensorDType dtype) => dtype == SafeTensorDType.Bool ? "BOOL" : dtype.ToString().ToUpperInvariant();
}

/// <summary>One tensor's header entry: its name, dtype and shape (the bytes follow in the same order).</summary>
/// <param name="Name">Tensor name.</param>
/// <param name="DType">Element type.</param>
/// <param name="Shape">Dimensions (empty for a scalar).</param>
public sealed record SafeTensorLayout(string Name, SafeTensorDType DType, long[] Shape);

/// <summary>One tensor to write: its name, dtype, shape and raw little-endian bytes (row-major).</summary>
/// <param name="Name">Tensor name.</param>
/// <param name="DType">Element type.</param>
/// <param name="Shape">Dimensions (empty for a scalar).</param>
/// <param name="Data">Raw little-endian bytes, elements × element size long.</param>
public sealed record SafeTensorEntry(string Name, SafeTensorDType DType, long[] Shape, ReadOnlyMemory<byte> Data);
