using System.Buffers;
using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EcgClip.Signal.Formats.Mat;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Formats.Wfdb;

/// <summary>
/// Reads PhysioNet WFDB records: single- and multi-segment (fixed and variable layout) headers, storage formats
/// 8, 16, 24, 32, 61, 80, 160, 212, 310 and 311, byte offsets, skew, several samples per frame, signals spread over
/// several files, MAT v4 signal files (PhysioNet/CinC Challenge <c>.mat</c>), checksum and initial-value checks.
/// Every problem with the input is an <see cref="EcgFormatException"/> naming the file and the reason.
/// </summary>
public static class WfdbReader
{
    /// <summary>
    /// Reads the record whose header is <paramref name="recordPath"/> (a <c>.hea</c> path, the record path without
    /// extension, or the path of its <c>.dat</c>/<c>.mat</c> signal file).
    /// </summary>
    public static EcgRecord Read(string recordPath, WfdbReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(recordPath);
        options ??= WfdbReadOptions.Default;
        string headerPath = ResolveHeaderPath(recordPath);
        var header = WfdbHeaderParser.ParseFile(headerPath);
        return Read(header, headerPath, options);
    }

    /// <summary>Reads the record described by an already parsed <paramref name="header"/> found at <paramref name="headerPath"/>.</summary>
    public static EcgRecord Read(WfdbHeader header, string headerPath, WfdbReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        options ??= WfdbReadOptions.Default;
        if (options.From < 0) throw new ArgumentOutOfRangeException(null, "From must be >= 0");
        string dir = Path.GetDirectoryName(Path.GetFullPath(headerPath)) ?? ".";
        var block = header.IsMultiSegment
            ? ReadMultiSegment(header, headerPath, dir, options)
            : ReadSingle(header, headerPath, dir, options, options.From, options.To, options.Channels);
        var channels = new List<EcgChannel>(block.Channels.Count);
        foreach (var c in block.Channels)
            channels.Add(new EcgChannel(c.Name, c.Physical, c.Digital, c.Gain, c.Baseline, c.Units, c.Invalid));
        var (metadata, statements, labels) = WfdbComments.Interpret(header, Path.GetFileNameWithoutExtension(headerPath));
        return new EcgRecord(header.RecordName, block.Rate, channels, metadata, statements, labels, Path.GetFullPath(headerPath));
    }

    /// <summary>The header path for a record path given with or without an extension.</summary>
    public static string ResolveHeaderPath(string recordPath)
    {
        if (recordPath.EndsWith(".hea", StringComparison.OrdinalIgnoreCase)) return recordPath;
        string ext = Path.GetExtension(recordPath);
        if (ext.Length > 0 && !File.Exists(recordPath + ".hea"))
        {
            string swapped = Path.ChangeExtension(recordPath, ".hea");
            if (File.Exists(swapped)) return swapped;
        }
        return recordPath + ".hea";
    }

    internal sealed class ChannelData
    {
        public required string Name;
        public required int[] Digital;
        public required double[] Physical;
        public double Gain;
        public int Baseline;
        public string Units = "mV";
        public int? Invalid;
    }

    internal sealed record Block(List<ChannelData> Channels, long Length, double Rate);

    // ---------------------------------------------------------------- single segment

    internal static Block ReadSingle(WfdbHeader header, string headerPath, string dir, WfdbReadOptions options,
                                     long from, long? toOpt, IReadOnlyList<int>? selection)
    {
        var specs = header.Signals;
        int nsig = specs.Count;
        int spfMax = 1;
        foreach (var s in specs) spfMax = Math.Max(spfMax, s.SamplesPerFrame);
        int scale = options.HighResolution ? spfMax : 1;
        int[] sel = Selection(selection, nsig, headerPath);

        // Group the signals by file, in order of first appearance.
        var groups = new List<Group>();
        for (int i = 0; i < nsig; i++)
        {
            var s = specs[i];
            var g = s.FileName == "~" ? null : groups.Find(x => x.File == s.FileName);
            if (g is null)
            {
                g = new Group(s.FileName, s.Format, s.ByteOffset);
                groups.Add(g);
            }
            else if (g.Format != s.Format)
                throw new EcgFormatException(headerPath, $"signals in file '{s.FileName}' use different formats ({g.Format} and {s.Format})");
            if (s.Format is 508 or 516 or 524)
                throw new EcgFormatException(headerPath, $"signal {i} uses FLAC format {s.Format}, which is not supported");
            g.Members.Add((i, g.FrameSamples));
            g.FrameSamples += s.SamplesPerFrame;
            if (g.FrameSamples > 1_000_000) throw new EcgFormatException(headerPath, "frame too large");
        }

        // Open files, learn how many frames each holds.
        foreach (var g in groups)
        {
            if (g.File == "~" || g.Format == 0) continue;
            string path = Path.Combine(dir, g.File);
            g.Path = path;
            long len;
            try { len = new FileInfo(path).Length; }
            catch (FileNotFoundException) { throw new EcgFormatException(path, $"signal file of record '{header.RecordName}' not found"); }
            catch (DirectoryNotFoundException) { throw new EcgFormatException(path, $"signal file of record '{header.RecordName}' not found"); }
            catch (IOException ex) { throw new EcgFormatException(path, "cannot read signal file: " + ex.Message, ex); }
            catch (UnauthorizedAccessException ex) { throw new EcgFormatException(path, "cannot read signal file: " + ex.Message, ex); }
            if (g.ByteOffset > len) throw new EcgFormatException(path, $"byte offset {g.ByteOffset} is beyond the end of the file ({len} bytes)");
            g.FileLength = len;
            g.AvailableFrames = WfdbCodec.SamplesIn(g.Format, len - g.ByteOffset) / g.FrameSamples;
        }

        long nframes;
        if (header.SampleCount is > 0) nframes = header.SampleCount.Value;
        else
        {
            var first = groups.FirstOrDefault(g => g.Path is not null);
            nframes = first?.AvailableFrames ?? 0;
        }
        foreach (var g in groups)
        {
            if (g.Path is null) continue;
            if (g.AvailableFrames < nframes)
                throw new EcgFormatException(g.Path, $"signal file is truncated: it holds {g.AvailableFrames} frames of {g.FrameSamples} format-{g.Format} samples after byte {g.ByteOffset}, the header declares {nframes}");
        }

        long total = nframes * scale;
        long to = toOpt ?? total;
        if (to > total) throw new ArgumentOutOfRangeException(null, $"record '{header.RecordName}' has {total} samples; 'to' must not exceed it");
        if (from > to) throw new ArgumentOutOfRangeException(null, $"'from' ({from}) must not exceed 'to' ({to})");
        int outLen = checked((int)Math.Min(int.MaxValue, to - from));
        if ((long)outLen * Math.Max(1, sel.Length) > options.MaxSamples)
            throw new EcgFormatException(headerPath, $"reading {outLen} samples x {sel.Length} channels exceeds the limit of {options.MaxSamples} samples; read a smaller range");

        var result = new ChannelData?[nsig];
        var wanted = new bool[nsig];
        foreach (int c in sel) wanted[c] = true;

        foreach (var g in groups)
        {
            bool any = g.Members.Any(m => wanted[m.Signal]);
            bool verify = options.Checksums != WfdbChecksumPolicy.Ignore && g.Members.Any(m => specs[m.Signal].Checksum is not null || specs[m.Signal].InitialValue is not null);
            if (!any && !verify) continue;
            if (g.Path is null)
            {
                foreach (var (sig, _) in g.Members)
                    if (wanted[sig]) result[sig] = NullChannel(specs[sig], outLen);
                continue;
            }
            if (g.Path.EndsWith(".mat", StringComparison.OrdinalIgnoreCase)) CheckMat(g, nframes, headerPath);
            int maxSkew = g.Members.Max(m => specs[m.Signal].Skew);
            long frames = Math.Min(g.AvailableFrames, nframes + maxSkew);
            long streamLen = frames * g.FrameSamples;
            long byteLen = Math.Min(g.FileLength - g.ByteOffset, WfdbCodec.BytesFor(g.Format, streamLen));
            if (streamLen > int.MaxValue || byteLen > int.MaxValue)
                throw new EcgFormatException(g.Path, "signal file too large for one read; read a smaller range");
            byte[] buffer = ArrayPool<byte>.Shared.Rent((int)byteLen + 8);
            try
            {
                ReadExactly(g.Path, g.ByteOffset, buffer.AsSpan(0, (int)byteLen));
                var bytes = buffer.AsSpan(0, (int)byteLen);
                if (g.Format == 16 && BitConverter.IsLittleEndian)
                {
                    var stream = MemoryMarshal.Cast<byte, short>(bytes)[..(int)streamLen];
                    Extract<short>(stream, g, specs, wanted, result, nframes, frames, from, outLen, scale, spfMax, options, headerPath);
                }
                else
                {
                    int[] stream = ArrayPool<int>.Shared.Rent((int)streamLen);
                    try
                    {
                        var st = stream.AsSpan(0, (int)streamLen);
                        WfdbCodec.Decode(g.Format, bytes, st);
                        if (g.Format == 8) Accumulate(st, g, specs);
                        Extract<int>(st, g, specs, wanted, result, nframes, frames, from, outLen, scale, spfMax, options, headerPath);
                    }
                    finally { ArrayPool<int>.Shared.Return(stream); }
                }
            }
            finally { ArrayPool<byte>.Shared.Return(buffer); }
        }

        var list = new List<ChannelData>(sel.Length);
        foreach (int c in sel) list.Add(result[c] ?? NullChannel(specs[c], outLen));
        return new Block(list, outLen, header.SamplingFrequency * scale);
    }

    private sealed class Group(string file, int format, long byteOffset)
    {
        public string File { get; } = file;
        public int Format { get; } = format;
        public long ByteOffset { get; } = byteOffset;
        public List<(int Signal, int Column)> Members { get; } = [];
        public int FrameSamples;
        public string? Path;
        public long FileLength;
        public long AvailableFrames;
    }

    private static int[] Selection(IReadOnlyList<int>? selection, int nsig, string headerPath)
    {
        if (selection is null) return Enumerable.Range(0, nsig).ToArray();
        foreach (int c in selection)
            if (c < 0 || c >= nsig)
                throw new ArgumentOutOfRangeException(null, $"{headerPath}: channel {c} does not exist (the record has {nsig} signals, 0–{nsig - 1})");
        return [.. selection];
    }

    private static void ReadExactly(string path, long offset, Span<byte> dst)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            int done = 0;
            while (done < dst.Length)
            {
                int n = RandomAccess.Read(handle, dst[done..], offset + done);
                if (n <= 0) throw new EcgFormatException(path, $"unexpected end of file at byte {offset + done}");
                done += n;
            }
        }
        catch (IOException ex) { throw new EcgFormatException(path, "cannot read signal file: " + ex.Message, ex); }
        catch (UnauthorizedAccessException ex) { throw new EcgFormatException(path, "cannot read signal file: " + ex.Message, ex); }
    }

    private static void CheckMat(Group g, long nframes, string headerPath)
    {
        Span<byte> head = stackalloc byte[64];
        int n = (int)Math.Min(64, g.FileLength);
        ReadExactly(g.Path!, 0, head[..n]);
        var mat = MatV4Header.Parse(head[..n], g.Path!);
        if (mat.DataOffset != g.ByteOffset)
            throw new EcgFormatException(g.Path!, $"MAT v4 data starts at byte {mat.DataOffset}, the header {Path.GetFileName(headerPath)} says {g.ByteOffset}");
        var expected = g.Format switch { 16 => MatV4Precision.Int16, 32 => MatV4Precision.Int32, 80 => MatV4Precision.UInt8, _ => (MatV4Precision?)null };
        if (expected is not null && mat.Precision != expected)
            throw new EcgFormatException(g.Path!, $"MAT v4 precision {mat.Precision} does not match WFDB format {g.Format}");
        if (mat.Rows != g.FrameSamples || mat.Columns < nframes)
            throw new EcgFormatException(g.Path!, $"MAT v4 matrix is {mat.Rows}x{mat.Columns}, the header declares {g.FrameSamples} signals x {nframes} samples");
    }

    /// <summary>Format 8 stores first differences; turn them into samples per signal, starting from the initial value.</summary>
    private static void Accumulate(Span<int> stream, Group g, IReadOnlyList<WfdbSignalSpec> specs)
    {
        int fs = g.FrameSamples;
        long frames = stream.Length / fs;
        foreach (var (sig, col) in g.Members)
        {
            int spf = specs[sig].SamplesPerFrame;
            int v = specs[sig].InitialValue ?? specs[sig].AdcZero;
            for (long f = 0; f < frames; f++)
                for (int k = 0; k < spf; k++)
                {
                    long i = f * fs + col + k;
                    v += stream[(int)i];
                    stream[(int)i] = v;
                }
        }
    }

    private static void Extract<T>(ReadOnlySpan<T> stream, Group g, IReadOnlyList<WfdbSignalSpec> specs, bool[] wanted,
                                   ChannelData?[] result, long nframes, long frames, long from, int outLen, int scale,
                                   int spfMax, WfdbReadOptions options, string headerPath)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        int fs = g.FrameSamples;
        // Hot path (PTB-XL, CinC: format 16, one sample per frame, no skew, whole record): de-interleave all columns
        // in one sequential pass over the file, then checksum and convert each column with SIMD.
        int[][]? gathered = null;
        if (typeof(T) == typeof(short) && scale == 1 && from == 0 && outLen == nframes && frames >= nframes && fs == g.Members.Count
            && (long)outLen * fs <= stream.Length && g.Members.All(m => wanted[m.Signal] && specs[m.Signal].Skew == 0))
        {
            gathered = new int[fs][];
            for (int c = 0; c < fs; c++) gathered[c] = GC.AllocateUninitializedArray<int>(outLen); // fully written below
            Deinterleave16(MemoryMarshal.Cast<T, short>(stream)[..(outLen * fs)], gathered);
        }
        foreach (var (sig, col) in g.Members)
        {
            var spec = specs[sig];
            int spf = spec.SamplesPerFrame;
            int? inv = WfdbCodec.InvalidValue(spec.Format);
            if (gathered is not null && inv is int inv16)
            {
                var dig = gathered[col];
                var phys = ToPhysical(dig, spec.Baseline, spec.EffectiveGain, inv16);
                int sum16 = SumWrapping(dig);
                if (options.Checksums != WfdbChecksumPolicy.Ignore && outLen > 0)
                {
                    if (spec.InitialValue is int iv16 && dig[0] != iv16)
                        options.Warning?.Invoke($"{g.Path}: signal {sig} ('{spec.Description}'): first sample is {dig[0]}, the header's initial value says {iv16}");
                    if (spec.Checksum is int cs16 && (short)sum16 != (short)cs16)
                        Mismatch(options, g.Path!, $"signal {sig} ('{spec.Description}'): checksum {(short)sum16} does not match the header's {(short)cs16}");
                }
                result[sig] = new ChannelData
                {
                    Name = ChannelName(spec, sig),
                    Digital = dig,
                    Physical = phys,
                    Gain = spec.EffectiveGain,
                    Baseline = spec.Baseline,
                    Units = spec.Units,
                    Invalid = inv16,
                };
                continue;
            }
            // Verify checksum (16-bit sum of all nframes*spf stored samples) and the initial value.
            if (options.Checksums != WfdbChecksumPolicy.Ignore && nframes > 0)
            {
                if (spec.InitialValue is int iv)
                {
                    int first = int.CreateTruncating(stream[col]);
                    // Only a warning: WFDB itself never checks it, and real headers carry stale values (e.g. test01_00s_skewframe).
                    if (first != iv) options.Warning?.Invoke($"{g.Path}: signal {sig} ('{spec.Description}'): first sample is {first}, the header's initial value says {iv}");
                }
                if (spec.Checksum is int cs)
                {
                    int sum = 0;
                    if (spf == 1)
                        for (long f = 0, i = col; f < nframes; f++, i += fs) sum += int.CreateTruncating(stream[(int)i]);
                    else
                        for (long f = 0; f < nframes; f++)
                            for (int k = 0; k < spf; k++) sum += int.CreateTruncating(stream[(int)(f * fs + col + k)]);
                    if ((short)sum != (short)cs)
                        Mismatch(options, g.Path!, $"signal {sig} ('{spec.Description}'): checksum {(short)sum} does not match the header's {(short)cs}");
                }
            }
            if (!wanted[sig]) continue;
            var digital = new int[outLen];
            bool padded = false;
            int fill = inv ?? -32768;
            if (spf == 1 && spec.Skew == 0 && scale == 1)
            {
                long i = (from) * fs + col;
                long avail = Math.Max(0, Math.Min(outLen, frames - from));
                for (int t = 0; t < avail; t++, i += fs) digital[t] = int.CreateTruncating(stream[(int)i]);
                if (avail < outLen) { digital.AsSpan((int)avail).Fill(fill); padded = true; }
            }
            else
            {
                for (int t = 0; t < outLen; t++)
                {
                    long s = from + t;
                    long frame = s / scale + spec.Skew;
                    if (frame >= frames) { digital[t] = fill; padded = true; continue; }
                    long baseIdx = frame * fs + col;
                    if (scale > 1)
                    {
                        int k = (int)((long)spf * (s % scale) / scale);
                        digital[t] = int.CreateTruncating(stream[(int)(baseIdx + k)]);
                    }
                    else if (spf == 1) digital[t] = int.CreateTruncating(stream[(int)baseIdx]);
                    else
                    {
                        long v = 0;
                        bool bad = false;
                        for (int k = 0; k < spf; k++)
                        {
                            int x = int.CreateTruncating(stream[(int)(baseIdx + k)]);
                            if (inv is int bv && x == bv) bad = true;
                            v += x;
                        }
                        digital[t] = bad ? fill : (int)(v / spf);
                    }
                }
            }
            int? invalid = inv ?? (padded ? -32768 : null);
            result[sig] = new ChannelData
            {
                Name = ChannelName(spec, sig),
                Digital = digital,
                Physical = ToPhysical(digital, spec.Baseline, spec.EffectiveGain, invalid),
                Gain = spec.EffectiveGain,
                Baseline = spec.Baseline,
                Units = spec.Units,
                Invalid = invalid,
            };
        }
    }

    /// <summary>Splits an interleaved int16 stream of <c>columns.Length</c> signals into the columns (one sequential pass).</summary>
    private static void Deinterleave16(ReadOnlySpan<short> stream, int[][] columns)
    {
        int m = columns.Length;
        int n = columns[0].Length;
        if ((long)n * m != stream.Length) throw new ArgumentException("stream length does not match the columns");
        ref short src = ref MemoryMarshal.GetReference(stream);
        if (m == 12)
        {
            ref int c0 = ref MemoryMarshal.GetArrayDataReference(columns[0]);
            ref int c1 = ref MemoryMarshal.GetArrayDataReference(columns[1]);
            ref int c2 = ref MemoryMarshal.GetArrayDataReference(columns[2]);
            ref int c3 = ref MemoryMarshal.GetArrayDataReference(columns[3]);
            ref int c4 = ref MemoryMarshal.GetArrayDataReference(columns[4]);
            ref int c5 = ref MemoryMarshal.GetArrayDataReference(columns[5]);
            ref int c6 = ref MemoryMarshal.GetArrayDataReference(columns[6]);
            ref int c7 = ref MemoryMarshal.GetArrayDataReference(columns[7]);
            ref int c8 = ref MemoryMarshal.GetArrayDataReference(columns[8]);
            ref int c9 = ref MemoryMarshal.GetArrayDataReference(columns[9]);
            ref int c10 = ref MemoryMarshal.GetArrayDataReference(columns[10]);
            ref int c11 = ref MemoryMarshal.GetArrayDataReference(columns[11]);
            for (nint t = 0; t < n; t++)
            {
                ref short row = ref Unsafe.Add(ref src, t * 12);
                Unsafe.Add(ref c0, t) = row;
                Unsafe.Add(ref c1, t) = Unsafe.Add(ref row, 1);
                Unsafe.Add(ref c2, t) = Unsafe.Add(ref row, 2);
                Unsafe.Add(ref c3, t) = Unsafe.Add(ref row, 3);
                Unsafe.Add(ref c4, t) = Unsafe.Add(ref row, 4);
                Unsafe.Add(ref c5, t) = Unsafe.Add(ref row, 5);
                Unsafe.Add(ref c6, t) = Unsafe.Add(ref row, 6);
                Unsafe.Add(ref c7, t) = Unsafe.Add(ref row, 7);
                Unsafe.Add(ref c8, t) = Unsafe.Add(ref row, 8);
                Unsafe.Add(ref c9, t) = Unsafe.Add(ref row, 9);
                Unsafe.Add(ref c10, t) = Unsafe.Add(ref row, 10);
                Unsafe.Add(ref c11, t) = Unsafe.Add(ref row, 11);
            }
            return;
        }
        for (int t = 0, k = 0; t < n; t++)
            for (int c = 0; c < m; c++, k++)
                columns[c][t] = Unsafe.Add(ref src, k);
    }

    /// <summary>Sum with 32-bit wrap-around (only the low 16 bits matter for WFDB checksums).</summary>
    private static int SumWrapping(ReadOnlySpan<int> x)
    {
        var acc = System.Numerics.Vector<int>.Zero;
        int i = 0;
        int w = System.Numerics.Vector<int>.Count;
        for (; i + w <= x.Length; i += w) acc += new System.Numerics.Vector<int>(x[i..]);
        int sum = System.Numerics.Vector.Sum(acc);
        for (; i < x.Length; i++) sum += x[i];
        return sum;
    }

    private static void Mismatch(WfdbReadOptions options, string path, string message)
    {
        if (options.Checksums == WfdbChecksumPolicy.Error) throw new EcgFormatException(path, message);
        options.Warning?.Invoke($"{path}: {message}");
    }

    /// <summary>The channel name the reader gives signal <paramref name="index"/>: its description, or "sigN" when empty.</summary>
    public static string ChannelName(WfdbSignalSpec spec, int index) =>
        spec.Description.Length > 0 ? spec.Description : "sig" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>physical = (digital − baseline) / gain; NaN where digital is the invalid value.</summary>
    internal static double[] ToPhysical(ReadOnlySpan<int> digital, int baseline, double gain, int? invalid)
    {
        var p = GC.AllocateUninitializedArray<double>(digital.Length); // every element is written below
        int i = 0;
        if (Vector256.IsHardwareAccelerated && Avx.IsSupported)
        {
            var vb = Vector256.Create((double)baseline);
            var vg = Vector256.Create(gain);
            ref int src = ref MemoryMarshal.GetReference(digital);
            ref double dst = ref MemoryMarshal.GetArrayDataReference(p);
            for (; i + 4 <= digital.Length; i += 4)
            {
                var v = Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref src, (nuint)i));
                ((v - vb) / vg).StoreUnsafe(ref dst, (nuint)i);
            }
        }
        for (; i < digital.Length; i++) p[i] = (digital[i] - baseline) / gain;
        if (invalid is int bad)
        {
            int start = 0;
            while (true)
            {
                int k = digital[start..].IndexOf(bad);
                if (k < 0) break;
                p[start + k] = double.NaN;
                start += k + 1;
            }
        }
        return p;
    }

    private static ChannelData NullChannel(WfdbSignalSpec spec, int outLen)
    {
        int fill = WfdbCodec.InvalidValue(spec.Format) ?? -32768;
        var d = new int[outLen];
        d.AsSpan().Fill(fill);
        var p = new double[outLen];
        p.AsSpan().Fill(double.NaN);
        return new ChannelData { Name = spec.Description, Digital = d, Physical = p, Gain = spec.EffectiveGain, Baseline = spec.Baseline, Units = spec.Units, Invalid = fill };
    }

    // ---------------------------------------------------------------- multi segment

    private static Block ReadMultiSegment(WfdbHeader header, string headerPath, string dir, WfdbReadOptions options)
    {
        var segs = header.Segments;
        bool variable = segs.Count > 0 && segs[0].SampleCount == 0 && segs[0].Name != "~";
        WfdbHeader? layout = null;
        int firstData = variable ? 1 : 0;
        if (variable) layout = ParseSegmentHeader(dir, segs[0].Name);
        else
        {
            foreach (var s in segs)
                if (s.Name != "~") { layout = ParseSegmentHeader(dir, s.Name); break; }
            if (layout is null) throw new EcgFormatException(headerPath, "multi-segment record has no non-null segment");
        }
        if (layout.IsMultiSegment) throw new EcgFormatException(headerPath, "nested multi-segment records are not supported");
        var specs = layout.Signals;
        int nsig = specs.Count;
        int spfMax = specs.Count == 0 ? 1 : specs.Max(s => s.SamplesPerFrame);
        int scale = options.HighResolution ? spfMax : 1;
        int[] sel = Selection(options.Channels, nsig, headerPath);

        long declared = 0;
        for (int i = firstData; i < segs.Count; i++) declared += segs[i].SampleCount;
        long total = (header.SampleCount is > 0 ? header.SampleCount.Value : declared) * scale;
        long from = options.From;
        long to = options.To ?? total;
        if (to > total) throw new ArgumentOutOfRangeException(null, $"record '{header.RecordName}' has {total} samples; 'to' must not exceed it");
        if (from > to) throw new ArgumentOutOfRangeException(null, $"'from' ({from}) must not exceed 'to' ({to})");
        long outLenL = to - from;
        if (outLenL * Math.Max(1, sel.Length) > options.MaxSamples)
            throw new EcgFormatException(headerPath, $"reading {outLenL} samples x {sel.Length} channels exceeds the limit of {options.MaxSamples} samples; read a smaller range");
        int outLen = (int)outLenL;

        var outs = new List<ChannelData>(sel.Length);
        foreach (int c in sel)
        {
            var spec = specs[c];
            outs.Add(new ChannelData
            {
                Name = ChannelName(spec, c),
                Digital = new int[outLen],
                Physical = new double[outLen],
                Gain = spec.EffectiveGain,
                Baseline = spec.Baseline,
                Units = spec.Units,
                Invalid = null,
            });
        }
        var filled = new bool[sel.Length];
        var gaps = new List<(int Channel, int Offset, int Count)>();

        long segStart = 0;
        for (int si = firstData; si < segs.Count && segStart < to; si++)
        {
            var seg = segs[si];
            long segLen = seg.SampleCount * scale;
            long segEnd = segStart + segLen;
            long a = Math.Max(from, segStart), b = Math.Min(to, segEnd);
            if (a < b)
            {
                int dstOff = (int)(a - from), n = (int)(b - a);
                if (seg.Name == "~")
                {
                    for (int k = 0; k < sel.Length; k++) gaps.Add((k, dstOff, n));
                }
                else
                {
                    string segHeaderPath = Path.Combine(dir, seg.Name + ".hea");
                    var sh = ParseSegmentHeader(dir, seg.Name);
                    if (sh.IsMultiSegment) throw new EcgFormatException(segHeaderPath, "nested multi-segment records are not supported");
                    if (Math.Abs(sh.SamplingFrequency - header.SamplingFrequency) > 1e-9 * header.SamplingFrequency)
                        throw new EcgFormatException(segHeaderPath, $"segment sampling frequency {sh.SamplingFrequency} Hz differs from the record's {header.SamplingFrequency} Hz");
                    // Map output channels to the segment's signals: by position (fixed layout) or by name (variable).
                    var map = new int[sel.Length];
                    for (int k = 0; k < sel.Length; k++)
                    {
                        int src = -1;
                        if (variable)
                        {
                            string name = specs[sel[k]].Description;
                            for (int j = 0; j < sh.Signals.Count; j++)
                                if (sh.Signals[j].Description == name) { src = j; break; }
                        }
                        else src = sel[k] < sh.Signals.Count ? sel[k] : -1;
                        map[k] = src;
                    }
                    var needed = map.Where(m => m >= 0).Distinct().ToArray();
                    var segOpts = options with { From = a - segStart, To = b - segStart, Channels = needed };
                    if (sh.SampleCount is > 0 && sh.SampleCount != seg.SampleCount)
                        throw new EcgFormatException(segHeaderPath, $"segment header declares {sh.SampleCount} samples, the master header {Path.GetFileName(headerPath)} says {seg.SampleCount}");
                    var segSh = sh.SampleCount is > 0 ? sh : sh with { SampleCount = seg.SampleCount };
                    var block = needed.Length == 0 ? null : ReadSingle(segSh, segHeaderPath, dir, segOpts, segOpts.From, segOpts.To, needed);
                    for (int k = 0; k < sel.Length; k++)
                    {
                        int idx = Array.IndexOf(needed, map[k]);
                        if (map[k] < 0 || block is null) { gaps.Add((k, dstOff, n)); continue; }
                        var src = block.Channels[idx];
                        if (!filled[k])
                        {
                            filled[k] = true;
                            outs[k].Invalid ??= src.Invalid;
                            if (!variable) { outs[k].Gain = src.Gain; outs[k].Baseline = src.Baseline; outs[k].Units = src.Units; }
                        }
                        if (variable && (src.Gain != outs[k].Gain || src.Baseline != outs[k].Baseline))
                            Rescale(src, outs[k], n, dstOff);
                        else
                        {
                            src.Digital.AsSpan(0, n).CopyTo(outs[k].Digital.AsSpan(dstOff));
                            src.Physical.AsSpan(0, n).CopyTo(outs[k].Physical.AsSpan(dstOff));
                        }
                    }
                }
            }
            segStart = segEnd;
        }
        // Gaps (null segments, signals absent from a segment) get the invalid value of the channel's stored format.
        for (int k = 0; k < sel.Length; k++) outs[k].Invalid ??= WfdbCodec.InvalidValue(specs[sel[k]].Format) ?? InvalidFill;
        foreach (var (k, off, n) in gaps)
        {
            outs[k].Digital.AsSpan(off, n).Fill(outs[k].Invalid!.Value);
            outs[k].Physical.AsSpan(off, n).Fill(double.NaN);
        }
        return new Block(outs, outLen, header.SamplingFrequency * scale);
    }

    private const int InvalidFill = -32768;

    /// <summary>
    /// Variable-layout records: a segment stored at another gain/baseline is mapped onto the layout's ADC scale,
    /// as WFDB's virtual signals do: d' = round((d − b_seg)·g_layout/g_seg + b_layout); physical from d'.
    /// </summary>
    private static void Rescale(ChannelData src, ChannelData dst, int n, int dstOff)
    {
        double scale = dst.Gain / src.Gain;
        int invalidOut = dst.Invalid ?? InvalidFill;
        for (int t = 0; t < n; t++)
        {
            int d = src.Digital[t];
            if (src.Invalid == d || double.IsNaN(src.Physical[t]))
            {
                dst.Digital[dstOff + t] = invalidOut;
                dst.Physical[dstOff + t] = double.NaN;
                continue;
            }
            double v = (d - src.Baseline) * scale + dst.Baseline;
            int r = (int)Math.Clamp(Math.Floor(v + 0.5), int.MinValue + 1.0, int.MaxValue);
            dst.Digital[dstOff + t] = r;
            dst.Physical[dstOff + t] = (r - dst.Baseline) / dst.Gain;
        }
    }

    /// <summary>
    /// The signal lines that describe a record's channels: the header's own, or for a multi-segment record those of
    /// its layout segment (variable layout) or first non-null segment (fixed layout).
    /// </summary>
    public static IReadOnlyList<WfdbSignalSpec> SignalsOf(WfdbHeader header, string headerPath)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (!header.IsMultiSegment) return header.Signals;
        string dir = Path.GetDirectoryName(Path.GetFullPath(headerPath)) ?? ".";
        foreach (var seg in header.Segments)
            if (seg.Name != "~") return ParseSegmentHeader(dir, seg.Name).Signals;
        return [];
    }

    private static WfdbHeader ParseSegmentHeader(string dir, string name)
    {
        if (!WfdbHeaderParser.IsSafeFileName(name)) throw new EcgFormatException(Path.Combine(dir, name), "unsafe segment name");
        return WfdbHeaderParser.ParseFile(Path.Combine(dir, name + ".hea"));
    }
}
