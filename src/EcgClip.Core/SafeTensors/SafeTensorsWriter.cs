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
        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        long offset = 0;
        foreach (var (name, (values, shape)) in tensors)
        {
            long count = shape.Aggregate(1L, (a, b) => a * b);
            if (count != values.Length) throw new ArgumentException($"tensor '{name}': shape [{string.Join(", ", shape)}] needs {count} values, got {values.Length}");
            header[name] = new { dtype = "F32", shape, data_offsets = new[] { offset, offset + 4L * values.Length } };
            offset += 4L * values.Length;
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
        var buffer = new byte[4];
        foreach (var (_, (values, _)) in tensors)
        {
            if (BitConverter.IsLittleEndian)
            {
                stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
                continue;
            }
            foreach (float v in values)
            {
                BinaryPrimitives.WriteSingleLittleEndian(buffer, v);
                stream.Write(buffer);
            }
        }
    }
}
