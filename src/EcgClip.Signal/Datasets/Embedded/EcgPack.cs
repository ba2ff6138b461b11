using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Datasets;

/// <summary>One record's place in an <see cref="EcgPack"/>.</summary>
internal sealed record EcgPackEntry(string Key, double SamplingRate, int Length, int Flags, string[] Names, double[] Gains, int[] Baselines, string[] Units, long FirstSample);

/// <summary>
/// A lossless, compressed container of digital ECG records (<c>.ecgpack</c>, written by <see cref="EcgPackWriter"/>;
/// layout in the format notes of the library), opened fully into memory: the whole payload is decompressed and its
/// SHA-256 checked once at open, after which <see cref="Load"/> decodes one record in microseconds. Records come back
/// with their stored ADC values (<see cref="EcgChannel.Digital"/>) exactly, and physical values
/// <c>(digital − baseline) / gain</c> as a WFDB reader computes them. Thread-safe for concurrent reads.
/// </summary>
public sealed class EcgPack
{
    private readonly Dictionary<string, EcgPackEntry> _entries;
    private readonly byte[] _planes; // 4 byte planes of zig-zag coded transformed samples
    private readonly long _totalSamples;

    private EcgPack(string path, Dictionary<string, EcgPackEntry> entries, IReadOnlyList<string> keys, byte[] planes, long totalSamples)
    {
        Path = path;
        _entries = entries;
        Keys = keys;
        _planes = planes;
        _totalSamples = totalSamples;
    }

    /// <summary>The file the pack was read from.</summary>
    public string Path { get; }

    /// <summary>Record keys in stored order.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>Number of records.</summary>
    public int Count => Keys.Count;

    /// <summary>Whether a record with <paramref name="key"/> is stored.</summary>
    public bool Contains(string key) => _entries.ContainsKey(key);

    /// <summary>Reads and verifies the pack at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="EcgFormatException">The file is not an ECG pack, is truncated, or fails its checksum (names the file and the reason).</exception>
    public static EcgPack Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: ECG pack not found", path);
        byte[] file = File.ReadAllBytes(path);
        if (file.Length < EcgPackFormat.HeaderSize || !file.AsSpan(0, 8).SequenceEqual(EcgPackFormat.Magic))
            throw new EcgFormatException(path, "not an ECG pack (bad magic)");
        var h = file.AsSpan(0, EcgPackFormat.HeaderSize);
        int version = BinaryPrimitives.ReadInt32LittleEndian(h[8..]);
        if (version != EcgPackFormat.Version) throw new EcgFormatException(path, $"unsupported ECG pack version {version}");
        int records = BinaryPrimitives.ReadInt32LittleEndian(h[12..]);
        long payloadBytes = BinaryPrimitives.ReadInt64LittleEndian(h[16..]);
        long compressedBytes = BinaryPrimitives.ReadInt64LittleEndian(h[24..]);
        if (records < 0 || payloadBytes < 4 || payloadBytes > EcgPackFormat.MaxPayloadBytes || compressedBytes != file.Length - EcgPackFormat.HeaderSize)
            throw new EcgFormatException(path, $"inconsistent header (records {records}, payload {payloadBytes} B, body {compressedBytes} B of {file.Length - EcgPackFormat.HeaderSize} B present): truncated or corrupt file");
        byte[] payload = new byte[payloadBytes];
        if (!BrotliDecoder.TryDecompress(file.AsSpan(EcgPackFormat.HeaderSize), payload, out int written) || written != payloadBytes)
            throw new EcgFormatException(path, "compressed body is corrupt (Brotli decoding failed or gave the wrong size)");
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(payload, hash);
        if (!hash.SequenceEqual(h.Slice(32, 32))) throw new EcgFormatException(path, "SHA-256 of the payload does not match the header (corrupt file)");
        try
        {
            return Parse(path, payload, records);
        }
        catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or OverflowException or DecoderFallbackException)
        {
            throw new EcgFormatException(path, "payload is malformed: " + ex.Message, ex);
        }
    }

    private static EcgPack Parse(string path, byte[] payload, int records)
    {
        int pos = 0;
        if (ReadInt(payload, ref pos) != records) throw new EcgFormatException(path, "record count in the payload differs from the header");
        var entries = new Dictionary<string, EcgPackEntry>(records, StringComparer.Ordinal);
        var keys = new List<string>(records);
        long first = 0;
        for (int r = 0; r < records; r++)
        {
            string key = ReadString(payload, ref pos);
            double fs = ReadDouble(payload, ref pos);
            int length = ReadInt(payload, ref pos), channels = ReadInt(payload, ref pos), flags = ReadInt(payload, ref pos);
            if (length < 0 || channels < 0 || channels > 1024 || !(fs > 0)) throw new EcgFormatException(path, $"record '{key}': invalid shape ({channels} channels × {length} samples at {fs} Hz)");
            var names = new string[channels];
            var gains = new double[channels];
            var baselines = new int[channels];
            var units = new string[channels];
            for (int c = 0; c < channels; c++)
            {
                names[c] = ReadString(payload, ref pos);
                gains[c] = ReadDouble(payload, ref pos);
                baselines[c] = ReadInt(payload, ref pos);
                units[c] = ReadString(payload, ref pos);
            }
            if (!entries.TryAdd(key, new EcgPackEntry(key, fs, length, flags, names, gains, baselines, units, first)))
                throw new EcgFormatException(path, $"record key '{key}' appears twice");
            keys.Add(key);
            first += (long)channels * length;
        }
        if ((long)payload.Length - pos != 4 * first)
            throw new EcgFormatException(path, $"sample planes hold {(long)payload.Length - pos} bytes, the records need {4 * first}");
        byte[] planes = payload.AsSpan(pos).ToArray();
        return new EcgPack(path, entries, keys, planes, first);
    }

    /// <summary>Decodes the record stored under <paramref name="key"/> (channels in stored order).</summary>
    /// <exception cref="KeyNotFoundException">No record has that key (the message names the pack and the key).</exception>
    public EcgRecord Load(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_entries.TryGetValue(key, out var e)) throw new KeyNotFoundException($"{Path}: no record '{key}' in this ECG pack");
        int channels = e.Names.Length, length = e.Length, total = channels * length;
        long[] work = System.Buffers.ArrayPool<long>.Shared.Rent(Math.Max(total, 1));
        try
        {
            var span = work.AsSpan(0, total);
            long n = _totalSamples;
            for (int i = 0; i < total; i++)
            {
                long at = e.FirstSample + i;
                uint z = _planes[at] | (uint)_planes[n + at] << 8 | (uint)_planes[2 * n + at] << 16 | (uint)_planes[3 * n + at] << 24;
                span[i] = EcgPackCodec.UnZigZag(z);
            }
            EcgPackCodec.Decode(span, channels, length, e.Flags, channels > 0 ? e.Baselines[0] : 0);
            var list = new EcgChannel[channels];
            for (int c = 0; c < channels; c++)
            {
                var digital = new int[length];
                var physical = new double[length];
                double gain = e.Gains[c];
                int baseline = e.Baselines[c];
                for (int i = 0; i < length; i++)
                {
                    int d = checked((int)span[c * length + i]);
                    digital[i] = d;
                    physical[i] = (d - baseline) / gain;
                }
                list[c] = new EcgChannel(e.Names[c], physical, digital, gain, baseline, e.Units[c]);
            }
            string name = key[(key.LastIndexOf('/') + 1)..];
            return new EcgRecord(name, e.SamplingRate, list, new EcgMetadata { RecordId = name }, sourcePath: Path + "#" + key);
        }
        finally
        {
            System.Buffers.ArrayPool<long>.Shared.Return(work);
        }
    }

    private static int ReadInt(byte[] b, ref int pos)
    {
        int v = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(pos, 4));
        pos += 4;
        return v;
    }

    private static double ReadDouble(byte[] b, ref int pos)
    {
        double v = BinaryPrimitives.ReadDoubleLittleEndian(b.AsSpan(pos, 8));
        pos += 8;
        return v;
    }

    private static string ReadString(byte[] b, ref int pos)
    {
        int n = ReadInt(b, ref pos);
        if (n < 0 || n > 4096) throw new ArgumentException($"string length {n} out of range");
        string s = new UTF8Encoding(false, true).GetString(b, pos, n);
        pos += n;
        return s;
    }
}
