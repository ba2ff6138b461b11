using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace EcgClip.Signal.Formats.Wfdb;

/// <summary>
/// Bit-level encoding of the WFDB storage formats. A signal file is a flat stream of samples (frames of all its
/// signals interleaved); packed formats (212, 310, 311) pack consecutive stream samples regardless of frames.
/// </summary>
internal static class WfdbCodec
{
    /// <summary>The formats this codec can decode and encode.</summary>
    public static bool IsSupported(int format) => format is 0 or 8 or 16 or 24 or 32 or 61 or 80 or 160 or 212 or 310 or 311;

    /// <summary>The stored value that marks a missing sample, or null where the format has none (8, 0).</summary>
    public static int? InvalidValue(int format) => format switch
    {
        16 or 61 or 160 => -32768,
        80 => -128,
        212 => -2048,
        310 or 311 => -512,
        24 => -(1 << 23),
        32 => int.MinValue,
        _ => null,
    };

    /// <summary>Number of whole samples stored in <paramref name="bytes"/> bytes.</summary>
    public static long SamplesIn(int format, long bytes) => format switch
    {
        8 or 80 => bytes,
        16 or 61 or 160 => bytes / 2,
        24 => bytes / 3,
        32 => bytes / 4,
        212 => bytes / 3 * 2 + (bytes % 3 >= 2 ? 1 : 0),
        310 => bytes / 4 * 3 + (bytes % 4 >= 2 ? 1 : 0),
        311 => bytes / 4 * 3 + (bytes % 4 >= 3 ? 2 : bytes % 4 >= 2 ? 1 : 0),
        _ => 0,
    };

    /// <summary>Number of bytes needed to store <paramref name="samples"/> samples (the packed formats rounded up as WFDB writes them).</summary>
    public static long BytesFor(int format, long samples) => format switch
    {
        8 or 80 => samples,
        16 or 61 or 160 => samples * 2,
        24 => samples * 3,
        32 => samples * 4,
        212 => samples / 2 * 3 + (samples % 2) * 2,
        310 or 311 => samples / 3 * 4 + (samples % 3) switch { 0 => 0, 1 => 2, _ => 4 },
        _ => 0,
    };

    /// <summary>
    /// Decodes the first <c>dst.Length</c> samples of the stream in <paramref name="src"/>. Format 8 yields the
    /// signed first differences (the caller accumulates them per signal). The caller guarantees
    /// <c>SamplesIn(format, src.Length) &gt;= dst.Length</c>.
    /// </summary>
    public static void Decode(int format, ReadOnlySpan<byte> src, Span<int> dst)
    {
        int n = dst.Length;
        switch (format)
        {
            case 8:
                for (int i = 0; i < n; i++) dst[i] = (sbyte)src[i];
                break;
            case 80:
                for (int i = 0; i < n; i++) dst[i] = src[i] - 128;
                break;
            case 16:
                {
                    var s = MemoryMarshal.Cast<byte, short>(src[..(n * 2)]);
                    if (BitConverter.IsLittleEndian)
                        for (int i = 0; i < n; i++) dst[i] = s[i];
                    else
                        for (int i = 0; i < n; i++) dst[i] = BinaryPrimitives.ReverseEndianness(s[i]);
                    break;
                }
            case 61:
                for (int i = 0; i < n; i++) dst[i] = BinaryPrimitives.ReadInt16BigEndian(src[(2 * i)..]);
                break;
            case 160:
                for (int i = 0; i < n; i++) dst[i] = BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * i)..]) - 32768;
                break;
            case 24:
                for (int i = 0; i < n; i++)
                {
                    int b = 3 * i;
                    int v = src[b] | src[b + 1] << 8 | src[b + 2] << 16;
                    dst[i] = (v << 8) >> 8;
                }
                break;
            case 32:
                for (int i = 0; i < n; i++) dst[i] = BinaryPrimitives.ReadInt32LittleEndian(src[(4 * i)..]);
                break;
            case 212:
                {
                    int i = 0, b = 0;
                    for (; i + 1 < n; i += 2, b += 3)
                    {
                        int b0 = src[b], b1 = src[b + 1], b2 = src[b + 2];
                        dst[i] = Sext(b0 | (b1 & 0x0F) << 8, 12);
                        dst[i + 1] = Sext(b2 | (b1 & 0xF0) << 4, 12);
                    }
                    if (i < n) dst[i] = Sext(src[b] | (src[b + 1] & 0x0F) << 8, 12);
                    break;
                }
            case 310:
                {
                    int i = 0, b = 0;
                    for (; i < n; i += 3, b += 4)
                    {
                        int w0 = src[b] | src[b + 1] << 8;
                        dst[i] = Sext((w0 >> 1) & 0x3FF, 10);
                        if (i + 1 >= n) break;
                        int w1 = src[b + 2] | src[b + 3] << 8;
                        dst[i + 1] = Sext((w1 >> 1) & 0x3FF, 10);
                        if (i + 2 >= n) break;
                        dst[i + 2] = Sext(((w0 >> 11) & 0x1F) | ((w1 >> 6) & 0x3E0), 10);
                    }
                    break;
                }
            case 311:
                {
                    int i = 0, b = 0;
                    for (; i < n; i += 3, b += 4)
                    {
                        dst[i] = Sext(src[b] | (src[b + 1] & 0x03) << 8, 10);
                        if (i + 1 >= n) break;
                        dst[i + 1] = Sext((src[b + 1] >> 2) | (src[b + 2] & 0x0F) << 6, 10);
                        if (i + 2 >= n) break;
                        dst[i + 2] = Sext((src[b + 2] >> 4) | (src[b + 3] & 0x3F) << 4, 10);
                    }
                    break;
                }
            default:
                throw new NotSupportedException($"WFDB format {format} cannot be decoded");
        }
    }

    /// <summary>Encodes <paramref name="src"/> stream samples (format 8: first differences already computed) into <paramref name="dst"/> of <see cref="BytesFor"/> bytes.</summary>
    public static void Encode(int format, ReadOnlySpan<int> src, Span<byte> dst)
    {
        int n = src.Length;
        switch (format)
        {
            case 8:
            case 80:
                for (int i = 0; i < n; i++) dst[i] = format == 8 ? (byte)(sbyte)src[i] : (byte)(src[i] + 128);
                break;
            case 16:
                for (int i = 0; i < n; i++) BinaryPrimitives.WriteInt16LittleEndian(dst[(2 * i)..], (short)src[i]);
                break;
            case 61:
                for (int i = 0; i < n; i++) BinaryPrimitives.WriteInt16BigEndian(dst[(2 * i)..], (short)src[i]);
                break;
            case 160:
                for (int i = 0; i < n; i++) BinaryPrimitives.WriteUInt16LittleEndian(dst[(2 * i)..], (ushort)(src[i] + 32768));
                break;
            case 24:
                for (int i = 0; i < n; i++)
                {
                    dst[3 * i] = (byte)src[i];
                    dst[3 * i + 1] = (byte)(src[i] >> 8);
                    dst[3 * i + 2] = (byte)(src[i] >> 16);
                }
                break;
            case 32:
                for (int i = 0; i < n; i++) BinaryPrimitives.WriteInt32LittleEndian(dst[(4 * i)..], src[i]);
                break;
            case 212:
                {
                    int i = 0, b = 0;
                    for (; i + 1 < n; i += 2, b += 3)
                    {
                        int a = src[i] & 0xFFF, c = src[i + 1] & 0xFFF;
                        dst[b] = (byte)a;
                        dst[b + 1] = (byte)((a >> 8) | ((c >> 4) & 0xF0));
                        dst[b + 2] = (byte)c;
                    }
                    if (i < n)
                    {
                        int a = src[i] & 0xFFF;
                        dst[b] = (byte)a;
                        dst[b + 1] = (byte)(a >> 8);
                    }
                    break;
                }
            case 310:
            case 311:
                Span<byte> w = stackalloc byte[4];
                for (int i = 0, b = 0; i < n; i += 3, b += 4)
                {
                    int x0 = src[i] & 0x3FF, x1 = i + 1 < n ? src[i + 1] & 0x3FF : 0, x2 = i + 2 < n ? src[i + 2] & 0x3FF : 0;
                    int bytes = i + 1 < n ? 4 : 2;
                    if (format == 310)
                    {
                        int w0 = (x0 << 1) | ((x2 & 0x1F) << 11);
                        int w1 = (x1 << 1) | ((x2 & 0x3E0) << 6);
                        w[0] = (byte)w0; w[1] = (byte)(w0 >> 8); w[2] = (byte)w1; w[3] = (byte)(w1 >> 8);
                    }
                    else
                    {
                        uint v = (uint)x0 | (uint)x1 << 10 | (uint)x2 << 20;
                        BinaryPrimitives.WriteUInt32LittleEndian(w, v);
                    }
                    w[..bytes].CopyTo(dst[b..]);
                }
                break;
            default:
                throw new NotSupportedException($"WFDB format {format} cannot be encoded");
        }
    }

    private static int Sext(int v, int bits)
    {
        int shift = 32 - bits;
        return (v << shift) >> shift;
    }
}
