using System.Xml.Linq;
using EcgClip.Signal.Formats.Xml.Aecg;
using EcgClip.Signal.Formats.Xml.Muse;
using EcgClip.Signal.Formats.Xml.Philips;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Formats.Xml;

/// <summary>
/// Reads vendor XML ECG files into an <see cref="EcgRecord"/> with the 12 leads in canonical order
/// (I, II, III, aVR, aVL, aVF, V1–V6) in mV. The dialect is detected from the root element:
/// GE MUSE <c>RestingECG</c>, Philips <c>restingecgdata</c> (SierraECG/PhilipsECG, XLI-compressed) and
/// HL7 aECG <c>AnnotatedECG</c> in namespace <c>urn:hl7-org:v3</c>.
/// </summary>
/// <remarks>
/// Input is treated as untrusted: nothing is ever resolved or fetched, DTD internal subsets (entity declarations)
/// and DOCTYPEs pointing anywhere but a bare local file name are refused, entity expansion is disabled, and the
/// document size, sample counts and decompressed sizes are bounded. Every problem with the input is reported as an
/// <see cref="EcgFormatException"/> naming the file and the reason. Where the file stores only I, II and V1–V6,
/// III, aVR, aVL and aVF are derived (III = II − I, aVR = −(I+II)/2, aVL = I − II/2, aVF = II − I/2).
/// </remarks>
public static class XmlEcgReader
{
    /// <summary>Reads the XML ECG file at <paramref name="path"/>; the rhythm record only.</summary>
    /// <exception cref="EcgFormatException">The file is not a supported, well-formed, safe XML ECG.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static EcgRecord Read(string path) => ReadDetailed(path).Record;

    /// <summary>
    /// Reads an XML ECG from <paramref name="stream"/> (read from its current position, not closed);
    /// <paramref name="sourceName"/> names it in errors and becomes the record's source path.
    /// </summary>
    /// <exception cref="EcgFormatException">The input is not a supported, well-formed, safe XML ECG.</exception>
    public static EcgRecord Read(Stream stream, string sourceName) => ReadDetailed(stream, sourceName).Record;

    /// <summary>Reads the file at <paramref name="path"/> with its median beats and detected dialect.</summary>
    /// <exception cref="EcgFormatException">The file is not a supported, well-formed, safe XML ECG.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static XmlEcg ReadDetailed(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return ReadDetailed(stream, path);
    }

    /// <summary>Reads <paramref name="stream"/> (not closed) with its median beats and detected dialect.</summary>
    /// <exception cref="EcgFormatException">The input is not a supported, well-formed, safe XML ECG.</exception>
    public static XmlEcg ReadDetailed(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        sourceName ??= "<stream>";
        XElement root = SafeXml.LoadRoot(stream, sourceName);
        try
        {
            return DetectDialect(root, sourceName) switch
            {
                XmlEcgDialect.GeMuse => MuseXmlParser.Parse(root, sourceName),
                XmlEcgDialect.Philips => PhilipsXmlParser.Parse(root, sourceName),
                _ => AecgParser.Parse(root, sourceName),
            };
        }
        catch (EcgFormatException)
        {
            throw;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            // Safety net for untrusted input: a parser bug must still surface as a typed format error.
            // The fuzz tests assert this path is never taken.
            throw new EcgFormatException(sourceName, $"{UnexpectedPrefix}{e.GetType().Name}: {e.Message}", e);
        }
    }

    /// <summary>The dialect of <paramref name="root"/>, or an <see cref="EcgFormatException"/> naming the root.</summary>
    internal static XmlEcgDialect DetectDialect(XElement root, string sourceName)
    {
        string local = root.Name.LocalName;
        if (local == MuseXmlParser.RootName) return XmlEcgDialect.GeMuse;
        if (local == PhilipsXmlParser.RootName) return XmlEcgDialect.Philips;
        if (local == AecgParser.RootName && root.Name.NamespaceName == AecgParser.Namespace) return XmlEcgDialect.Hl7Aecg;
        throw new EcgFormatException(sourceName, $"unsupported XML ECG dialect (root element '{root.Name}')");
    }

    internal const string UnexpectedPrefix = "unexpected reader error: ";
}
