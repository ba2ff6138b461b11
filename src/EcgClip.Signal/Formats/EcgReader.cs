using System.Text;
using EcgClip.Signal.Formats.Wfdb;
using EcgClip.Signal.Formats.Xml;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Formats;

/// <summary>The file formats <see cref="EcgReader"/> recognises.</summary>
public enum EcgFileFormat
{
    /// <summary>Not recognised.</summary>
    Unknown,
    /// <summary>PhysioNet WFDB record (<c>.hea</c> + signal files).</summary>
    Wfdb,
    /// <summary>PhysioNet/CinC Challenge record: WFDB header with a MATLAB v4 <c>.mat</c> signal file.</summary>
    CincMat,
    /// <summary>Vendor XML (GE MUSE, Philips SierraECG, HL7 aECG).</summary>
    Xml,
}

/// <summary>
/// The one entry point for reading an ECG file of any supported format; the format is detected from the file's
/// extension and content. Bad input raises <see cref="EcgFormatException"/> naming the file and the reason.
/// </summary>
public static class EcgReader
{
    /// <summary>
    /// Reads <paramref name="path"/>: a WFDB header (<c>.hea</c>), a record path without extension, a WFDB signal file
    /// (<c>.dat</c>) or CinC <c>.mat</c> beside its header, or a vendor XML file.
    /// </summary>
    public static EcgRecord Read(string path, WfdbReadOptions? wfdbOptions = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var (format, resolved) = Detect(path);
        return format switch
        {
            EcgFileFormat.Wfdb or EcgFileFormat.CincMat => WfdbReader.Read(WfdbHeaderParser.ParseFile(resolved), resolved, wfdbOptions),
            EcgFileFormat.Xml => XmlEcgReader.Read(resolved),
            _ => throw new EcgFormatException(path, "unrecognised ECG format (expected a WFDB .hea/.dat record, a CinC .mat with its .hea, or GE MUSE / Philips / HL7 aECG XML)"),
        };
    }

    /// <summary>Detects the format of <paramref name="path"/> and the path to hand to its reader (the header for WFDB).</summary>
    public static (EcgFileFormat Format, string Path) Detect(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            // rdsamp-style "dir/record/": a folder holding a header named after it.
            string inner = Path.Combine(path, Path.GetFileName(Path.TrimEndingDirectorySeparator(path)) + ".hea");
            if (File.Exists(inner)) return (IsMatRecord(inner) ? EcgFileFormat.CincMat : EcgFileFormat.Wfdb, inner);
            throw new EcgFormatException(path, "is a directory, not an ECG file");
        }
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext == ".hea")
        {
            if (!File.Exists(path)) throw new EcgFormatException(path, "file not found");
            return (IsMatRecord(path) ? EcgFileFormat.CincMat : EcgFileFormat.Wfdb, path);
        }
        if (!File.Exists(path))
        {
            if (File.Exists(path + ".hea")) return (IsMatRecord(path + ".hea") ? EcgFileFormat.CincMat : EcgFileFormat.Wfdb, path + ".hea");
            throw new EcgFormatException(path, "file not found");
        }
        string header = Path.ChangeExtension(path, ".hea");
        if (ext == ".mat")
        {
            if (!File.Exists(header)) throw new EcgFormatException(path, "a CinC .mat record needs its .hea header beside it");
            return (EcgFileFormat.CincMat, header);
        }
        if (ext == ".xml") return (EcgFileFormat.Xml, path);
        if (ext is ".dat" or "" && File.Exists(header)) return (EcgFileFormat.Wfdb, header);
        if (File.Exists(path + ".hea")) return (EcgFileFormat.Wfdb, path + ".hea");
        // Content sniffing: XML, or a WFDB header under another extension.
        Span<byte> head = stackalloc byte[256];
        int n;
        try
        {
            using var fs = File.OpenRead(path);
            n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (IOException ex) { throw new EcgFormatException(path, "cannot read file: " + ex.Message, ex); }
        catch (UnauthorizedAccessException ex) { throw new EcgFormatException(path, "cannot read file: " + ex.Message, ex); }
        var text = head[..n];
        if (text.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) text = text[3..];
        text = text.TrimStart(" \t\r\n"u8);
        if (text.StartsWith("<"u8)) return (EcgFileFormat.Xml, path);
        if (LooksLikeWfdbHeader(text)) return (EcgFileFormat.Wfdb, path);
        return (EcgFileFormat.Unknown, path);
    }

    private static bool IsMatRecord(string headerPath)
    {
        try
        {
            foreach (var line in File.ReadLines(headerPath).Take(4))
                if (!line.TrimStart().StartsWith('#') && line.Contains(".mat ", StringComparison.OrdinalIgnoreCase)) return true;
        }
        catch (IOException) { }
        return false;
    }

    private static bool LooksLikeWfdbHeader(ReadOnlySpan<byte> text)
    {
        foreach (byte b in text)
            if (b == 0 || b > 0x7E && b < 0xA0) return false;
        string s = Encoding.Latin1.GetString(text);
        foreach (var raw in s.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var tok = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return tok.Length >= 2 && int.TryParse(tok[1], out _);
        }
        return false;
    }
}
