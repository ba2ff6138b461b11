using System.Buffers.Binary;
using System.Text;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Formats.Mat;

/// <summary>Numeric precision of a MATLAB v4 matrix (the P digit of the MOPT type code).</summary>
public enum MatV4Precision
{
    /// <summary>64-bit float.</summary>
    Double = 0,
    /// <summary>32-bit float.</summary>
    Single = 1,
    /// <summary>32-bit signed integer.</summary>
    Int32 = 2,
    /// <summary>16-bit signed integer.</summary>
    Int16 = 3,
    /// <summary>16-bit unsigned integer.</summary>
    UInt16 = 4,
    /// <summary>8-bit unsigned integer.</summary>
    UInt8 = 5,
}

/// <summary>
/// The 20-byte header (plus name) of the first matrix in a MATLAB v4 <c>.mat</c> file, as PhysioNet/CinC Challenge
/// records use it (<c>val</c>, int16, rows = leads, columns = samples, column-major so samples are interleaved by lead).
/// </summary>
/// <param name="Precision">Element type.</param>
/// <param name="Rows">Number of rows (leads in CinC files).</param>
/// <param name="Columns">Number of columns (samples in CinC files).</param>
/// <param name="Name">Variable name (e.g. "val").</param>
/// <param name="DataOffset">Byte offset of the first element (20 + name length).</param>
public sealed record MatV4Header(MatV4Precision Precision, int Rows, int Columns, string Name, int DataOffset)
{
    /// <summary>Bytes per element.</summary>
    public int ElementSize => Precision switch
    {
        MatV4Precision.Double => 8,
        MatV4Precision.Single or MatV4Precision.Int32 => 4,
        MatV4Precision.Int16 or MatV4Precision.UInt16 => 2,
        _ => 1,
    };

    /// <summary>Parses the header at the start of <paramref name="bytes"/>; throws <see cref="EcgFormatException"/> naming <paramref name="path"/>.</summary>
    public static MatV4Header Parse(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.Length < 20) throw new EcgFormatException(path, "truncated MAT v4 header (fewer than 20 bytes)");
        int type = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        int rows = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        int cols = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        int imag = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        int nameLen = BinaryPrimitives.ReadInt32LittleEndian(bytes[16..]);
        if (type < 0 || type > 9999)
            throw new EcgFormatException(path, $"not a little-endian MAT v4 file (type code {type}; MAT v5/v7.3 files are not supported)");
        int m = type / 1000, o = type / 100 % 10, p = type / 10 % 10, t = type % 10;
        if (m != 0) throw new EcgFormatException(path, $"MAT v4 machine code {m} is not little-endian IEEE");
        if (o != 0 || t != 0) throw new EcgFormatException(path, $"MAT v4 matrix type {type} is not a full numeric matrix");
        if (p > 5) throw new EcgFormatException(path, $"MAT v4 precision code {p} is unknown");
        if (imag != 0) throw new EcgFormatException(path, "complex MAT v4 matrices are not supported");
        if (rows < 0 || cols < 0) throw new EcgFormatException(path, $"MAT v4 matrix has negative size {rows}x{cols}");
        if (nameLen < 1 || nameLen > 4096 || bytes.Length < 20 + nameLen) throw new EcgFormatException(path, $"bad MAT v4 variable name length {nameLen}");
        string name = Encoding.ASCII.GetString(bytes.Slice(20, nameLen)).TrimEnd('\0');
        return new MatV4Header((MatV4Precision)p, rows, cols, name, 20 + nameLen);
    }
}
