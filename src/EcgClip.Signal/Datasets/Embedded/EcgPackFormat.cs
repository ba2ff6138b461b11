namespace EcgClip.Signal.Datasets;

/// <summary>
/// Layout of an <c>.ecgpack</c> file (little-endian): a lossless, compressed container of digital ECG records.
/// <code>
/// header (64 bytes): magic "ECGPACK1" | int32 version=1 | int32 records | int64 payload bytes | int64 compressed bytes
///                    | 32 bytes SHA-256 of the payload
/// body: the payload, Brotli-compressed
/// payload: int32 records, then per record: key (int32 UTF-8 byte count + bytes) | float64 sampling rate (Hz)
///          | int32 samples per channel | int32 channels | int32 flags | per channel: name (string), float64 gain
///          (ADC units per physical unit), int32 baseline, units (string);
///          then the transformed samples (<see cref="EcgPackCodec"/>) of all records, zig-zag coded as uint32 and
///          split into 4 byte planes (all low bytes of the file, then all second bytes, ...), which compress far
///          better than interleaved bytes because the high planes are almost all zero.
/// </code>
/// </summary>
internal static class EcgPackFormat
{
    public const int HeaderSize = 64;
    public const int Version = 1;
    public static ReadOnlySpan<byte> Magic => "ECGPACK1"u8;

    /// <summary>Refuses payloads above this many bytes before allocating (a corrupt header cannot ask for more).</summary>
    public const long MaxPayloadBytes = 1L << 31;
}
