using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Formats.Wfdb;

/// <summary>One signal line of a WFDB header (<c>.hea</c>).</summary>
public sealed record WfdbSignalSpec
{
    /// <summary>Signal file name relative to the header's folder ("~" for a null signal).</summary>
    public required string FileName { get; init; }
    /// <summary>Storage format (8, 16, 24, 32, 61, 80, 160, 212, 310, 311; 0 = null signal).</summary>
    public required int Format { get; init; }
    /// <summary>Samples per frame (the <c>xN</c> suffix; 1 when absent).</summary>
    public int SamplesPerFrame { get; init; } = 1;
    /// <summary>Skew in frames (the <c>:N</c> suffix): sample t of this signal is stored in frame t + skew.</summary>
    public int Skew { get; init; }
    /// <summary>Byte offset of the first sample in the signal file (the <c>+N</c> suffix).</summary>
    public long ByteOffset { get; init; }
    /// <summary>ADC gain in digital units per physical unit, as written (0 when absent or 0 = uncalibrated).</summary>
    public double Gain { get; init; }
    /// <summary>Digital value of 0 physical units (defaults to <see cref="AdcZero"/>).</summary>
    public int Baseline { get; init; }
    /// <summary>Physical units (default "mV").</summary>
    public string Units { get; init; } = "mV";
    /// <summary>ADC resolution in bits (0 when absent).</summary>
    public int AdcResolution { get; init; }
    /// <summary>ADC zero (digital units).</summary>
    public int AdcZero { get; init; }
    /// <summary>The first sample's digital value, when the header states it.</summary>
    public int? InitialValue { get; init; }
    /// <summary>The 16-bit checksum of all samples of the signal, when the header states it.</summary>
    public int? Checksum { get; init; }
    /// <summary>Block size in bytes (0 = not a block device).</summary>
    public int BlockSize { get; init; }
    /// <summary>Signal description (the lead or signal name).</summary>
    public string Description { get; init; } = "";

    /// <summary>The gain to divide by: <see cref="Gain"/>, or WFDB's default 200 when it is 0.</summary>
    public double EffectiveGain => Gain == 0 ? 200.0 : Gain;
}

/// <summary>One segment line of a multi-segment WFDB header.</summary>
/// <param name="Name">Segment record name, or "~" for a null (gap) segment.</param>
/// <param name="SampleCount">Segment length in frames.</param>
public sealed record WfdbSegmentSpec(string Name, long SampleCount);

/// <summary>A parsed WFDB header: the record line, signal or segment lines, and comments.</summary>
public sealed record WfdbHeader
{
    /// <summary>Record name.</summary>
    public required string RecordName { get; init; }
    /// <summary>Number of segments; 0 for an ordinary single-segment record.</summary>
    public int SegmentCount { get; init; }
    /// <summary>Number of signals.</summary>
    public int SignalCount { get; init; }
    /// <summary>Frame rate in Hz (samples per second per signal with one sample per frame); 250 when absent.</summary>
    public double SamplingFrequency { get; init; } = 250;
    /// <summary>Counter frequency in Hz, when given.</summary>
    public double? CounterFrequency { get; init; }
    /// <summary>Counter value of sample 0, when given.</summary>
    public double? BaseCounter { get; init; }
    /// <summary>Number of frames, when given (absent or 0 = inferred from the signal file length).</summary>
    public long? SampleCount { get; init; }
    /// <summary>Base time as written (HH:MM:SS[.mmm]), when given.</summary>
    public string? BaseTime { get; init; }
    /// <summary>Base date as written (DD/MM/YYYY), when given.</summary>
    public string? BaseDate { get; init; }
    /// <summary>Signal lines (empty for a multi-segment header).</summary>
    public IReadOnlyList<WfdbSignalSpec> Signals { get; init; } = [];
    /// <summary>Segment lines (multi-segment headers only).</summary>
    public IReadOnlyList<WfdbSegmentSpec> Segments { get; init; } = [];
    /// <summary>Comment lines without the leading '#' and surrounding blanks.</summary>
    public IReadOnlyList<string> Comments { get; init; } = [];

    /// <summary>True for a multi-segment header.</summary>
    public bool IsMultiSegment => SegmentCount > 0;

    /// <summary>The base date and time combined, when both parse.</summary>
    public DateTimeOffset? AcquisitionTime
    {
        get
        {
            if (BaseDate is null || BaseTime is null) return null;
            string[] dateFormats = ["d/M/yyyy", "dd/MM/yyyy"];
            if (!DateTime.TryParseExact(BaseDate, dateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return null;
            if (!TimeSpan.TryParseExact(BaseTime, [@"h\:m\:s", @"h\:m\:s\.FFF", @"h\:m", @"m\:s\.FFF"], CultureInfo.InvariantCulture, out var time)) return null;
            return new DateTimeOffset(date.Add(time), TimeSpan.Zero);
        }
    }
}

/// <summary>Parses WFDB header text. Throws <see cref="EcgFormatException"/> naming the file on malformed input.</summary>
public static partial class WfdbHeaderParser
{
    /// <summary>Maximum number of signals accepted in one header.</summary>
    public const int MaxSignals = 4096;
    /// <summary>Maximum number of segments accepted in one header.</summary>
    public const int MaxSegments = 1_000_000;

    [GeneratedRegex(@"^([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?:/([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?:\((-?[\d.]+)\))?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FrequencySpec();

    /// <summary>Reads and parses the header file at <paramref name="path"/>.</summary>
    public static WfdbHeader ParseFile(string path)
    {
        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new EcgFormatException(path, "header file not found");
            if (info.Length > 64L << 20) throw new EcgFormatException(path, $"header is {info.Length} bytes, larger than the 64 MiB limit");
            text = File.ReadAllText(path, Encoding.Latin1);
        }
        catch (IOException ex) { throw new EcgFormatException(path, "cannot read header: " + ex.Message, ex); }
        catch (UnauthorizedAccessException ex) { throw new EcgFormatException(path, "cannot read header: " + ex.Message, ex); }
        return Parse(text, path);
    }

    /// <summary>Parses header <paramref name="text"/>; <paramref name="path"/> is used in error messages.</summary>
    public static WfdbHeader Parse(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains('\0')) throw new EcgFormatException(path, "header contains NUL bytes (not a text WFDB header)");
        var comments = new List<string>();
        var lines = new List<(int LineNo, string Text)>();
        int lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            string line = raw.TrimEnd('\r');
            string trimmed = line.Trim();
            if (trimmed.Length == 0) continue;
            if (trimmed[0] == '#')
            {
                comments.Add(trimmed[1..].Trim());
                continue;
            }
            // Text after '#' on a data line is a comment in WFDB headers only at line start; keep the line whole.
            lines.Add((lineNo, line));
        }
        if (lines.Count == 0) throw new EcgFormatException(path, "header has no record line");

        var (recLineNo, recLine) = lines[0];
        string[] t = Tokens(recLine);
        string nameTok = t[0];
        int segCount = 0;
        string recordName = nameTok;
        int slash = nameTok.IndexOf('/');
        if (slash >= 0)
        {
            recordName = nameTok[..slash];
            if (!int.TryParse(nameTok.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out segCount) || segCount < 1 || segCount > MaxSegments)
                throw Error(path, recLineNo, $"bad segment count in '{nameTok}'");
        }
        if (recordName.Length == 0) throw Error(path, recLineNo, "empty record name");
        int nsig = 0;
        if (t.Length > 1 && (!int.TryParse(t[1], NumberStyles.None, CultureInfo.InvariantCulture, out nsig) || nsig > MaxSignals))
            throw Error(path, recLineNo, $"bad number of signals '{t[1]}'");
        double fs = 250;
        double? counterFreq = null, baseCounter = null;
        if (t.Length > 2)
        {
            var m = FrequencySpec().Match(t[2]);
            if (!m.Success) throw Error(path, recLineNo, $"bad sampling frequency '{t[2]}'");
            fs = ParseDouble(m.Groups[1].Value);
            if (m.Groups[2].Success) counterFreq = ParseDouble(m.Groups[2].Value);
            if (m.Groups[3].Success && double.TryParse(m.Groups[3].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var bc)) baseCounter = bc;
            if (!(fs > 0) || double.IsInfinity(fs)) throw Error(path, recLineNo, $"sampling frequency must be positive, got '{t[2]}'");
        }
        long? nsamp = null;
        if (t.Length > 3)
        {
            if (!long.TryParse(t[3], NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n > (1L << 40))
                throw Error(path, recLineNo, $"bad number of samples '{t[3]}'");
            nsamp = n;
        }
        string? baseTime = t.Length > 4 ? t[4] : null;
        string? baseDate = t.Length > 5 ? t[5] : null;

        var signals = new List<WfdbSignalSpec>();
        var segments = new List<WfdbSegmentSpec>();
        if (segCount > 0)
        {
            if (lines.Count - 1 < segCount) throw new EcgFormatException(path, $"multi-segment header declares {segCount} segments but has {lines.Count - 1} segment lines");
            for (int i = 1; i <= segCount; i++)
            {
                var (no, line) = lines[i];
                var st = Tokens(line);
                if (st.Length < 2 || !long.TryParse(st[1], NumberStyles.None, CultureInfo.InvariantCulture, out long segLen) || segLen > (1L << 40))
                    throw Error(path, no, "segment line must be '<name> <number of samples>'");
                if (st[0] != "~" && !IsSafeFileName(st[0])) throw Error(path, no, $"unsafe segment name '{st[0]}'");
                segments.Add(new WfdbSegmentSpec(st[0], segLen));
            }
        }
        else
        {
            if (lines.Count - 1 < nsig) throw new EcgFormatException(path, $"header declares {nsig} signals but has {lines.Count - 1} signal lines");
            for (int i = 1; i <= nsig; i++) signals.Add(ParseSignal(lines[i].Text, path, lines[i].LineNo));
        }
        return new WfdbHeader
        {
            RecordName = recordName,
            SegmentCount = segCount,
            SignalCount = nsig,
            SamplingFrequency = fs,
            CounterFrequency = counterFreq,
            BaseCounter = baseCounter,
            SampleCount = nsamp,
            BaseTime = baseTime,
            BaseDate = baseDate,
            Signals = signals,
            Segments = segments,
            Comments = comments,
        };
    }

    private static WfdbSignalSpec ParseSignal(string line, string path, int no)
    {
        // Tokens with their start positions so that the description keeps its inner spacing.
        var starts = new List<int>();
        var tokens = new List<string>();
        int i = 0;
        while (i < line.Length && tokens.Count < 9)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
            if (i >= line.Length) break;
            int s = i;
            if (tokens.Count == 8) { starts.Add(s); tokens.Add(line[s..].Trim()); break; }
            while (i < line.Length && !char.IsWhiteSpace(line[i])) i++;
            starts.Add(s);
            tokens.Add(line[s..i]);
        }
        if (tokens.Count < 2) throw Error(path, no, "signal line needs at least a file name and a format");
        string file = tokens[0];
        if (file != "~" && !IsSafeFileName(file)) throw Error(path, no, $"unsafe signal file name '{file}'");
        if (!TryParseFormat(tokens[1], out int fmt, out int spf, out int skew, out long offset))
            throw Error(path, no, $"bad format field '{tokens[1]}'");
        if (!WfdbCodec.IsSupported(fmt) && fmt != 508 && fmt != 516 && fmt != 524)
            throw Error(path, no, $"unknown storage format {fmt}");
        if (spf < 1 || spf > 100_000) throw Error(path, no, $"bad samples per frame {spf}");

        double gain = 0;
        int? baseline = null;
        string units = "mV";
        if (tokens.Count > 2)
        {
            if (!TryParseGain(tokens[2], out gain, out baseline, out string? u) || double.IsNaN(gain) || double.IsInfinity(gain) || gain < 0)
                throw Error(path, no, $"bad gain field '{tokens[2]}'");
            if (u is not null) units = u;
        }
        int adcRes = tokens.Count > 3 ? Int(tokens[3], "ADC resolution") : 0;
        int adcZero = tokens.Count > 4 ? Int(tokens[4], "ADC zero") : 0;
        int? init = tokens.Count > 5 ? Int(tokens[5], "initial value") : null;
        int? checksum = tokens.Count > 6 ? Int(tokens[6], "checksum") : null;
        int block = tokens.Count > 7 ? Int(tokens[7], "block size") : 0;
        string desc = tokens.Count > 8 ? tokens[8] : "";
        return new WfdbSignalSpec
        {
            FileName = file,
            Format = fmt,
            SamplesPerFrame = spf,
            Skew = skew,
            ByteOffset = offset,
            Gain = gain,
            Baseline = baseline ?? adcZero,
            Units = units,
            AdcResolution = adcRes,
            AdcZero = adcZero,
            InitialValue = init,
            Checksum = checksum,
            BlockSize = block,
            Description = desc,
        };

        int Int(string s, string what) =>
            long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) && v >= int.MinValue && v <= uint.MaxValue
                ? unchecked((int)v)
                : throw Error(path, no, $"bad {what} '{s}'");
    }

    /// <summary>Parses <c>fmt[xspf][:skew][+offset]</c>.</summary>
    internal static bool TryParseFormat(ReadOnlySpan<char> s, out int format, out int spf, out int skew, out long offset)
    {
        format = 0; spf = 1; skew = 0; offset = 0;
        int i = 0;
        if (!Digits(s, ref i, 4, out long f)) return false;
        format = (int)f;
        if (i < s.Length && s[i] == 'x')
        {
            i++;
            if (!Digits(s, ref i, 6, out long x)) return false;
            spf = (int)x;
        }
        if (i < s.Length && s[i] == ':')
        {
            i++;
            if (!Digits(s, ref i, 9, out long k)) return false;
            skew = (int)k;
        }
        if (i < s.Length && s[i] == '+')
        {
            i++;
            if (!Digits(s, ref i, 15, out offset)) return false;
        }
        return i == s.Length;
    }

    /// <summary>Parses <c>gain[(baseline)][/units]</c>.</summary>
    internal static bool TryParseGain(string s, out double gain, out int? baseline, out string? units)
    {
        gain = 0; baseline = null; units = null;
        int end = s.IndexOfAny(['(', '/']);
        var num = end < 0 ? s.AsSpan() : s.AsSpan(0, end);
        if (num.Length == 0 || !(char.IsAsciiDigit(num[0]) || num[0] is '.' or '+' or '-')) return false;
        if (!double.TryParse(num, NumberStyles.Float, CultureInfo.InvariantCulture, out gain)) return false;
        if (end < 0) return true;
        int i = end;
        if (s[i] == '(')
        {
            int close = s.IndexOf(')', i);
            if (close < 0 || close - i - 1 > 11) return false;
            if (!int.TryParse(s.AsSpan(i + 1, close - i - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int b)) return false;
            baseline = b;
            i = close + 1;
        }
        if (i == s.Length) return true;
        if (s[i] != '/' || i + 1 == s.Length) return false;
        units = s[(i + 1)..];
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, ref int i, int max, out long value)
    {
        value = 0;
        int start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            if (i - start >= max) return false;
            value = value * 10 + (s[i] - '0');
            i++;
        }
        return i > start;
    }

    /// <summary>A file name that stays inside the header's folder tree (no rooted paths, no "..").</summary>
    internal static bool IsSafeFileName(string name) =>
        name.Length > 0 && !Path.IsPathRooted(name) && !name.Contains('\\') && !name.Split('/').Any(p => p is ".." or "")
        && name.IndexOfAny(Path.GetInvalidPathChars()) < 0;

    private static string[] Tokens(string line) => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static double ParseDouble(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static EcgFormatException Error(string path, int line, string reason) => new(path, $"line {line}: {reason}");
}
