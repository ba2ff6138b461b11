using EcgClip.Signal.Records;

namespace EcgClip.Signal.Formats.Xml;

/// <summary>
/// Reads vendor XML ECG files (GE MUSE <c>RestingECG</c>, Philips <c>restingecgdata</c>, HL7 aECG
/// <c>AnnotatedECG</c>) into an <see cref="EcgRecord"/>. Skeleton: every input is currently refused.
/// </summary>
public static class XmlEcgReader
{
    /// <summary>Reads the XML ECG file at <paramref name="path"/>.</summary>
    /// <exception cref="EcgFormatException">The file is not a supported, well-formed XML ECG.</exception>
    public static EcgRecord Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        throw new EcgFormatException(path, "unsupported XML ECG dialect");
    }

    /// <summary>Reads an XML ECG from <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="EcgFormatException">The input is not a supported, well-formed XML ECG.</exception>
    public static EcgRecord Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        throw new EcgFormatException(sourceName ?? "<stream>", "unsupported XML ECG dialect");
    }
}
