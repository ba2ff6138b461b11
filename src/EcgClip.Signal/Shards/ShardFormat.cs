using System.Buffers.Binary;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Shards;

/// <summary>How samples are stored in a shard.</summary>
public enum ShardSampleType
{
    /// <summary>
    /// Signed 16-bit integers with a per-record-per-lead scale s = max|x| / 32767 (mV per step); the value read back is
    /// q·s, so the error per sample is at most s/2 plus the float32 rounding of the decoded value (≤ |x|·2^-24, i.e.
    /// ≤ 0.002·s): in total ≤ 0.502·s. -32768 marks a NaN (invalid) sample; ±∞ are stored as NaN.
    /// </summary>
    Int16 = 1,
    /// <summary>IEEE half floats of x / s with s = max|x| (per record and lead), so stored values lie in [-1, 1] (relative error ≤ 2^-11 of s).</summary>
    Float16 = 2,
}

/// <summary>
/// Binary layout of a shard's <c>.bin</c> file (little-endian, memory-mappable):
/// <code>
/// header (64 bytes): magic "ECGSHRD1" | int32 version=1 | int32 sampleType | int32 leads | int32 records
///                    | int64 indexOffset | int64 scalesOffset | int64 dataOffset | float64 samplingRate (Hz) | 8 bytes zero
/// index  (records × 16 bytes): int64 first element of the record in the data block | int32 samples per lead | int32 flags (bit 0: has NaN)
/// scales (records × leads × float32): per-record-per-lead scale (mV per stored unit)
/// data   (64-byte aligned): for each record, leads × samples 2-byte elements, lead-major ([leads, samples])
/// </code>
/// When all records have the same length the data block is a dense <c>[records, leads, samples]</c> array.
/// </summary>
internal static class ShardFormat
{
    public const int HeaderSize = 64;
    public const int IndexEntrySize = 16;
    public const int Version = 1;
    public const short Int16NaN = short.MinValue;
    public const int FlagHasNaN = 1;
    public static ReadOnlySpan<byte> Magic => "ECGSHRD1"u8;

    public static long Align64(long x) => (x + 63) & ~63L;

    public static void WriteHeader(Span<byte> h, ShardSampleType type, int leads, int records, long indexOffset, long scalesOffset, long dataOffset, double fs)
    {
        h[..HeaderSize].Clear();
        Magic.CopyTo(h);
        BinaryPrimitives.WriteInt32LittleEndian(h[8..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(h[12..], (int)type);
        BinaryPrimitives.WriteInt32LittleEndian(h[16..], leads);
        BinaryPrimitives.WriteInt32LittleEndian(h[20..], records);
        BinaryPrimitives.WriteInt64LittleEndian(h[24..], indexOffset);
        BinaryPrimitives.WriteInt64LittleEndian(h[32..], scalesOffset);
        BinaryPrimitives.WriteInt64LittleEndian(h[40..], dataOffset);
        BinaryPrimitives.WriteDoubleLittleEndian(h[48..], fs);
    }

    public readonly record struct Header(ShardSampleType Type, int Leads, int Records, long IndexOffset, long ScalesOffset, long DataOffset, double SamplingRate);

    public static Header ReadHeader(ReadOnlySpan<byte> h, long fileLength, string path)
    {
        if (h.Length < HeaderSize || !h[..8].SequenceEqual(Magic)) throw new EcgFormatException(path, "not an ECG shard (bad magic)");
        int version = BinaryPrimitives.ReadInt32LittleEndian(h[8..]);
        if (version != Version) throw new EcgFormatException(path, $"unsupported shard version {version}");
        var type = (ShardSampleType)BinaryPrimitives.ReadInt32LittleEndian(h[12..]);
        if (type is not (ShardSampleType.Int16 or ShardSampleType.Float16)) throw new EcgFormatException(path, $"unknown sample type {(int)type}");
        int leads = BinaryPrimitives.ReadInt32LittleEndian(h[16..]);
        int records = BinaryPrimitives.ReadInt32LittleEndian(h[20..]);
        long index = BinaryPrimitives.ReadInt64LittleEndian(h[24..]);
        long scales = BinaryPrimitives.ReadInt64LittleEndian(h[32..]);
        long data = BinaryPrimitives.ReadInt64LittleEndian(h[40..]);
        double fs = BinaryPrimitives.ReadDoubleLittleEndian(h[48..]);
        if (leads <= 0 || leads > 1024 || records < 0 || index != HeaderSize || scales < index + (long)records * IndexEntrySize
            || data < scales + (long)records * leads * 4 || data > fileLength)
            throw new EcgFormatException(path, "inconsistent shard header (truncated or corrupt file)");
        return new Header(type, leads, records, index, scales, data, fs);
    }
}
