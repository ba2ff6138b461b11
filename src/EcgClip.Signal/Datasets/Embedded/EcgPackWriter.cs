using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Datasets;

/// <summary>Writes an <c>.ecgpack</c> file (see <see cref="EcgPack"/>): lossless, compressed digital ECG records keyed by name.</summary>
public static class EcgPackWriter
{
    /// <summary>
    /// Writes <paramref name="records"/> to <paramref name="path"/> (through a temporary file renamed into place, so a
    /// reader never sees half a file). Every channel must carry its stored integers (<see cref="EcgChannel.Digital"/>).
    /// </summary>
    /// <param name="path">Output file.</param>
    /// <param name="records">Records with unique keys (e.g. PTB-XL's <c>filename_lr</c>).</param>
    /// <param name="quality">Brotli quality 0–11 (default 11: smallest file, slowest to write; reading speed is unaffected).</param>
    /// <returns>The number of records written.</returns>
    /// <exception cref="ArgumentException">A key repeats, or a record has a channel without digital samples.</exception>
    public static int Write(string path, IEnumerable<(string Key, EcgRecord Record)> records, int quality = 11)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 11);
        ArgumentOutOfRangeException.ThrowIfNegative(quality);
        var meta = new MemoryStream();
        var planes = new[] { new MemoryStream(), new MemoryStream(), new MemoryStream(), new MemoryStream() };
        var keys = new HashSet<string>(StringComparer.Ordinal);
        long[] work = [];
        int count = 0;
        foreach (var (key, record) in records)
        {
            if (!keys.Add(key)) throw new ArgumentException($"record key '{key}' appears twice");
            int channels = record.Channels.Count, length = record.SampleCount;
            var gains = new double[channels];
            var baselines = new int[channels];
            var names = new string[channels];
            for (int c = 0; c < channels; c++)
            {
                var ch = record.Channels[c];
                if (ch.Digital is null) throw new ArgumentException($"record '{key}': channel '{ch.Name}' has no digital samples; an ECG pack stores ADC values losslessly");
                (gains[c], baselines[c], names[c]) = (ch.Gain, ch.Baseline, ch.Name);
            }
            int flags = EcgPackCodec.CanUseLimbResiduals(names, gains, baselines) ? EcgPackCodec.FlagLimbResiduals : 0;
            WriteString(meta, key);
            WriteDouble(meta, record.SamplingRate);
            WriteInt(meta, length);
            WriteInt(meta, channels);
            WriteInt(meta, flags);
            for (int c = 0; c < channels; c++)
            {
                WriteString(meta, names[c]);
                WriteDouble(meta, gains[c]);
                WriteInt(meta, baselines[c]);
                WriteString(meta, record.Channels[c].Units);
            }
            int total = checked(channels * length);
            if (work.Length < total) work = new long[total];
            var span = work.AsSpan(0, total);
            for (int c = 0; c < channels; c++)
            {
                var digital = record.Channels[c].Digital!;
                for (int i = 0; i < length; i++) span[c * length + i] = digital[i];
            }
            EcgPackCodec.Encode(span, channels, length, flags, baselines.Length > 0 ? baselines[0] : 0);
            foreach (long v in span)
            {
                uint z = EcgPackCodec.ZigZag(v);
                planes[0].WriteByte((byte)z);
                planes[1].WriteByte((byte)(z >> 8));
                planes[2].WriteByte((byte)(z >> 16));
                planes[3].WriteByte((byte)(z >> 24));
            }
            count++;
        }

        var payload = new MemoryStream();
        WriteInt(payload, count);
        meta.Position = 0;
        meta.CopyTo(payload);
        foreach (var plane in planes) { plane.Position = 0; plane.CopyTo(payload); }
        byte[] raw = payload.ToArray();
        byte[] compressed = new byte[BrotliEncoder.GetMaxCompressedLength(raw.Length)];
        if (!BrotliEncoder.TryCompress(raw, compressed, out int written, quality, window: 24))
            throw new InvalidOperationException("Brotli compression failed");

        Span<byte> header = stackalloc byte[EcgPackFormat.HeaderSize];
        header.Clear();
        EcgPackFormat.Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], EcgPackFormat.Version);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], count);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], raw.Length);
        BinaryPrimitives.WriteInt64LittleEndian(header[24..], written);
        SHA256.HashData(raw, header[32..]);

        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = $"{full}.tmp-{Environment.ProcessId}";
        using (var fs = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            fs.Write(header);
            fs.Write(compressed, 0, written);
            fs.Flush(flushToDisk: true);
        }
        File.Move(temp, full, overwrite: true);
        return count;
    }

    private static void WriteInt(Stream s, int v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, v);
        s.Write(b);
    }

    private static void WriteDouble(Stream s, double v)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(b, v);
        s.Write(b);
    }

    private static void WriteString(Stream s, string v)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(v);
        WriteInt(s, bytes.Length);
        s.Write(bytes);
    }
}
