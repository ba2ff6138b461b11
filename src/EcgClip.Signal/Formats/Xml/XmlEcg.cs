using EcgClip.Signal.Records;

namespace EcgClip.Signal.Formats.Xml;

/// <summary>The vendor XML dialects that <see cref="XmlEcgReader"/> understands, identified by the root element.</summary>
public enum XmlEcgDialect
{
    /// <summary>GE MUSE <c>&lt;RestingECG&gt;</c> export (base64 int16 waveforms, 8 stored leads).</summary>
    GeMuse = 0,
    /// <summary>Philips SierraECG / PhilipsECG <c>&lt;restingecgdata&gt;</c> (XLI-compressed waveforms).</summary>
    Philips = 1,
    /// <summary>HL7 v3 Annotated ECG <c>&lt;AnnotatedECG xmlns="urn:hl7-org:v3"&gt;</c>.</summary>
    Hl7Aecg = 2,
}

/// <summary>
/// Everything <see cref="XmlEcgReader.ReadDetailed(string)"/> extracts from a vendor XML ECG: the 12-lead rhythm
/// record and, where the file carries them, the median (representative) beats.
/// </summary>
public sealed class XmlEcg
{
    /// <summary>Creates the result.</summary>
    public XmlEcg(XmlEcgDialect dialect, EcgRecord record, EcgRecord? medianBeats)
    {
        ArgumentNullException.ThrowIfNull(record);
        Dialect = dialect;
        Record = record;
        MedianBeats = medianBeats;
    }

    /// <summary>The dialect detected from the root element.</summary>
    public XmlEcgDialect Dialect { get; }

    /// <summary>
    /// The rhythm recording: 12 channels in canonical order (I, II, III, aVR, aVL, aVF, V1–V6), physical values in mV,
    /// with metadata and interpretation statements.
    /// </summary>
    public EcgRecord Record { get; }

    /// <summary>
    /// The median / representative beat of each of the 12 leads (canonical order, mV) at its own sampling rate
    /// (Hz, which may differ from the rhythm's), or null when the file has none.
    /// </summary>
    public EcgRecord? MedianBeats { get; }
}
