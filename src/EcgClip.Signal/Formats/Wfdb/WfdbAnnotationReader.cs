using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Formats.Wfdb;

/// <summary>One WFDB annotation (as printed by <c>rdann</c>).</summary>
/// <param name="Sample">Sample number (0-based, at the record's frame rate).</param>
/// <param name="Code">Annotation type code (1 = N, 5 = V, 22 = NOTE ...).</param>
/// <param name="Symbol">Mnemonic (e.g. "N", "V", "+", "\""), including custom definitions in the file.</param>
/// <param name="Subtype">Subtype (signed 8-bit).</param>
/// <param name="Channel">Channel number (unsigned 8-bit).</param>
/// <param name="Number">The num field (signed 8-bit); carries over from the previous annotation unless changed.</param>
/// <param name="Aux">Auxiliary text (e.g. rhythm "(N"), or null.</param>
public sealed record WfdbAnnotation(long Sample, int Code, string Symbol, int Subtype, int Channel, int Number, string? Aux);

/// <summary>
/// Reads WFDB annotation files in MIT format (<c>.atr</c>, <c>.qrs</c>, ...): SKIP, NUM, SUB, CHN and AUX
/// pseudo-annotations, the "## annotation type definitions" block (custom mnemonics) and the time-resolution note.
/// Bad input raises <see cref="EcgFormatException"/> naming the file.
/// </summary>
public static class WfdbAnnotationReader
{
    private static readonly string[] s_symbols =
    [
        " ", "N", "L", "R", "a", "V", "F", "J", "A", "S",
        "E", "j", "/", "Q", "~", "[15]", "|", "[17]", "s", "T",
        "*", "D", "\"", "=", "p", "B", "^", "t", "+", "u",
        "?", "!", "[", "]", "e", "n", "@", "x", "f", "(",
        ")", "r", "[42]", "[43]", "[44]", "[45]", "[46]", "[47]", "[48]", "[49]",
    ];

    private const int Skip = 59, Num = 60, Sub = 61, Chn = 62, Aux = 63, Note = 22;

    /// <summary>Reads the annotations of <paramref name="recordPath"/> (without extension) by <paramref name="annotator"/> (e.g. "atr").</summary>
    public static IReadOnlyList<WfdbAnnotation> Read(string recordPath, string annotator) =>
        Read(recordPath + "." + annotator);

    /// <summary>Reads the annotation file at <paramref name="path"/>.</summary>
    public static IReadOnlyList<WfdbAnnotation> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new EcgFormatException(path, "annotation file not found");
            if (info.Length > 1L << 30) throw new EcgFormatException(path, "annotation file larger than 1 GiB");
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException ex) { throw new EcgFormatException(path, "cannot read annotation file: " + ex.Message, ex); }
        catch (UnauthorizedAccessException ex) { throw new EcgFormatException(path, "cannot read annotation file: " + ex.Message, ex); }
        return Parse(bytes, path);
    }

    /// <summary>Parses MIT-format annotation <paramref name="data"/>; <paramref name="name"/> is used in error messages.</summary>
    public static IReadOnlyList<WfdbAnnotation> Parse(ReadOnlySpan<byte> data, string name)
    {
        var symbols = (string[])s_symbols.Clone();
        var result = new List<WfdbAnnotation>();
        long time = 0;
        int pos = 0;
        int chan = 0, num = 0;
        bool inDefinitions = false;
        // The annotation being assembled (its modifiers follow it).
        long curTime = 0;
        int curCode = -1, curSub = 0;
        string? curAux = null;
        while (true)
        {
            if (pos + 2 > data.Length)
            {
                if (pos == data.Length) break; // no explicit EOF word: accept
                throw new EcgFormatException(name, $"truncated annotation word at byte {pos}");
            }
            int word = BinaryPrimitives.ReadUInt16LittleEndian(data[pos..]);
            pos += 2;
            int a = word >> 10, i = word & 0x3FF;
            if (a == 0 && i == 0) break; // end of file
            switch (a)
            {
                case Skip:
                    {
                        if (pos + 4 > data.Length) throw new EcgFormatException(name, $"truncated SKIP interval at byte {pos}");
                        int hi = BinaryPrimitives.ReadInt16LittleEndian(data[pos..]);
                        int lo = BinaryPrimitives.ReadUInt16LittleEndian(data[(pos + 2)..]);
                        time += ((long)hi << 16) | (uint)lo;
                        pos += 4;
                        break;
                    }
                case Num:
                    if (curCode < 0) throw new EcgFormatException(name, $"NUM modifier before any annotation at byte {pos - 2}");
                    num = (sbyte)(byte)i;
                    break;
                case Sub:
                    if (curCode < 0) throw new EcgFormatException(name, $"SUB modifier before any annotation at byte {pos - 2}");
                    curSub = (sbyte)(byte)i;
                    break;
                case Chn:
                    if (curCode < 0) throw new EcgFormatException(name, $"CHN modifier before any annotation at byte {pos - 2}");
                    chan = (byte)i;
                    break;
                case Aux:
                    {
                        if (curCode < 0) throw new EcgFormatException(name, $"AUX modifier before any annotation at byte {pos - 2}");
                        if (pos + i > data.Length) throw new EcgFormatException(name, $"truncated AUX text of {i} bytes at byte {pos}");
                        var text = data.Slice(pos, i);
                        int nul = text.IndexOf((byte)0);
                        if (nul >= 0) text = text[..nul];
                        curAux = Encoding.Latin1.GetString(text);
                        pos += i + (i & 1);
                        break;
                    }
                default:
                    if (a > 49) throw new EcgFormatException(name, $"invalid annotation code {a} at byte {pos - 2}");
                    Flush();
                    time += i;
                    curTime = time;
                    curCode = a;
                    curSub = 0;
                    curAux = null;
                    break;
            }
        }
        Flush();
        return result;

        void Flush()
        {
            if (curCode < 0) return;
            // Header notes at time 0: the time resolution and the custom definitions block are not annotations.
            if (curTime == 0 && curCode == Note && curAux is not null)
            {
                if (curAux.StartsWith("## annotation type definitions", StringComparison.Ordinal)) { inDefinitions = true; curCode = -1; return; }
                if (curAux.StartsWith("## end of definitions", StringComparison.Ordinal)) { inDefinitions = false; curCode = -1; return; }
                if (curAux.StartsWith("## time resolution", StringComparison.Ordinal)) { curCode = -1; return; }
                if (inDefinitions)
                {
                    var parts = curAux.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length >= 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int code) && code is >= 1 and <= 49)
                        symbols[code] = parts[1];
                    curCode = -1;
                    return;
                }
            }
            // Code 0 (NOTQRS) is "not a getann/putann code" (WFDB ecgcodes.h): rdann never shows it.
            if (curCode != 0) result.Add(new WfdbAnnotation(curTime, curCode, symbols[curCode], curSub, chan, num, curAux));
            curCode = -1;
        }
    }
}
