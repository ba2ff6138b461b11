using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace EcgClip.Signal.Formats.Npy;

/// <summary>
/// Writes NumPy <c>.npy</c> files (version 1.0, or 2.0 when the header does not fit), little-endian, C order,
/// header padded so the data starts on a 64-byte boundary, as <c>numpy.save</c> does.
/// </summary>
public static class NpyWriter
{
    /// <summary>Writes <paramref name="array"/> to <paramref name="path"/> (overwriting it).</summary>
    public static void Write(string path, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Write(fs, array);
    }

    /// <summary>Writes flat C-order <paramref name="data"/> with <paramref name="shape"/> to <paramref name="path"/>.</summary>
    public static void Write<T>(string path, T[] data, params int[] shape) where T : unmanaged =>
        Write(path, NpyArray.Create(data, shape));

    /// <summary>Writes <paramref name="array"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("NpyWriter needs a little-endian machine");
        stream.Write(Header(array.DType, array.Shape));
        stream.Write(array.RawBytes());
    }

    /// <summary>The complete header (magic, version, length, dict, padding) for an array of <paramref name="dtype"/> and <paramref name="shape"/>.</summary>
    public static byte[] Header(NpyDType dtype, ReadOnlySpan<int> shape)
    {
        var sb = new StringBuilder();
        sb.Append("{'descr': '").Append(NpyDTypes.Descr(dtype)).Append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.Length; i++)
        {
            sb.Append(shape[i].ToString(CultureInfo.InvariantCulture));
            if (shape.Length == 1 || i < shape.Length - 1) sb.Append(shape.Length == 1 ? "," : ", ");
        }
        sb.Append("), }");
        string dict = sb.ToString();
        int prefix = 10;
        int total = Align(prefix + dict.Length + 1);
        bool v2 = total - prefix > ushort.MaxValue;
        if (v2)
        {
            prefix = 12;
            total = Align(prefix + dict.Length + 1);
        }
        var header = new byte[total];
        header[0] = 0x93;
        "NUMPY"u8.CopyTo(header.AsSpan(1));
        header[6] = v2 ? (byte)2 : (byte)1;
        header[7] = 0;
        if (v2) BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), (uint)(total - prefix));
        else BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), (ushort)(total - prefix));
        int n = Encoding.ASCII.GetBytes(dict, header.AsSpan(prefix));
        header.AsSpan(prefix + n, total - prefix - n - 1).Fill((byte)' ');
        header[^1] = (byte)'\n';
        return header;
    }

    private static int Align(int n) => (n + 63) / 64 * 64;
}
