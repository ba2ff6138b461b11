using System.Globalization;
using System.Text;
using System.Xml.Linq;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Formats.Xml.Muse;

/// <summary>
/// GE MUSE <c>&lt;RestingECG&gt;</c>: <c>&lt;Waveform&gt;</c> blocks (<c>Rhythm</c>, <c>Median</c>) each holding
/// <c>&lt;LeadData&gt;</c> with base64 little-endian int16 <c>&lt;WaveFormData&gt;</c>, usually 8 leads (I, II, V1–V6),
/// amplitude <c>LeadAmplitudeUnitsPerBit</c> (µV per unit), rate <c>SampleBase × 10^SampleExponent</c> Hz.
/// Statements come from <c>&lt;Diagnosis&gt;&lt;DiagnosisStatement&gt;</c>; fragments are joined until a
/// <c>StmtFlag</c> of <c>ENDSLINE</c>. Where a lead has <c>LeadDataCRC32</c>, the CRC-32 (zlib) of its decoded bytes must
/// match, else the file is refused as corrupt.
/// </summary>
internal static class MuseXmlParser
{
    public const string RootName = "RestingECG";

    public static XmlEcg Parse(XElement root, string source)
    {
        XElement? rhythm = null, median = null;
        foreach (var wf in root.Children("Waveform"))
        {
            string? type = wf.Child("WaveformType").TextOf();
            if (string.Equals(type, "Rhythm", StringComparison.OrdinalIgnoreCase)) rhythm ??= wf;
            else if (string.Equals(type, "Median", StringComparison.OrdinalIgnoreCase)) median ??= wf;
        }
        if (rhythm is null)
            throw new EcgFormatException(source, "GE MUSE: no <Waveform> with WaveformType 'Rhythm'");

        var (rate, channels) = ReadWaveform(rhythm, source, "GE MUSE rhythm waveform");
        var metadata = ReadMetadata(root);
        var statements = ReadStatements(root.Child("Diagnosis") ?? root.Child("OriginalDiagnosis"));
        string name = System.IO.Path.GetFileNameWithoutExtension(source);
        var record = new EcgRecord(name, rate, channels, metadata, statements, sourcePath: source);

        EcgRecord? medianRecord = null;
        if (median is not null)
        {
            var (mRate, mChannels) = ReadWaveform(median, source, "GE MUSE median waveform");
            medianRecord = new EcgRecord(name + "_median", mRate, mChannels, metadata, sourcePath: source);
        }
        return new XmlEcg(XmlEcgDialect.GeMuse, record, medianRecord);
    }

    private static (double Rate, EcgChannel[] Channels) ReadWaveform(XElement wf, string source, string what)
    {
        double? sampleBase = XmlNav.ParseDouble(wf.Child("SampleBase").TextOf());
        int exponent = XmlNav.ParseInt(wf.Child("SampleExponent").TextOf()) ?? 0;
        if (sampleBase is null || !(sampleBase > 0) || exponent is < -3 or > 6)
            throw new EcgFormatException(source, $"{what}: missing or invalid SampleBase/SampleExponent");
        double rate = sampleBase.Value * Math.Pow(10, exponent);
        if (!(rate > 0) || rate > 1e6)
            throw new EcgFormatException(source, $"{what}: sampling rate {rate} Hz out of range");

        var leads = new LeadSetBuilder(source, what);
        int count = 0;
        foreach (var ld in wf.Children("LeadData"))
        {
            if (++count > XmlLimits.MaxLeads)
                throw new EcgFormatException(source, $"{what}: more than {XmlLimits.MaxLeads} leads");
            string leadId = ld.Child("LeadID").TextOf()
                ?? throw new EcgFormatException(source, $"{what}: <LeadData> without <LeadID>");
            if (!LeadNames.TryParse(leadId, out var lead)) continue; // non-standard extra lead: not part of the 12
            int sampleSize = XmlNav.ParseInt(ld.Child("LeadSampleSize").TextOf()) ?? 2;
            if (sampleSize != 2)
                throw new EcgFormatException(source, $"{what}: lead {leadId}: LeadSampleSize {sampleSize} not supported (only 2-byte samples)");
            byte[] bytes = XmlNav.DecodeBase64(ld.Child("WaveFormData")?.Value, source, $"{what}: lead {leadId}");
            if (uint.TryParse(ld.Child("LeadDataCRC32").TextOf(), NumberStyles.None, CultureInfo.InvariantCulture, out uint crc)
                && Crc32.Compute(bytes) is var actual && actual != crc)
                throw new EcgFormatException(source, $"{what}: lead {leadId}: CRC32 of the waveform data is {actual}, the file says {crc} (corrupt data)");
            int available = bytes.Length / 2;
            int? declared = XmlNav.ParseInt(ld.Child("LeadSampleCountTotal").TextOf());
            int n = declared ?? available;
            if (n <= 0 || n > XmlLimits.MaxSamplesPerLead)
                throw new EcgFormatException(source, $"{what}: lead {leadId}: sample count {n} out of range");
            if (n > available)
                throw new EcgFormatException(source, $"{what}: lead {leadId}: {available} samples of data, {n} declared (truncated)");
            double? uvPerBit = XmlNav.ParseDouble(ld.Child("LeadAmplitudeUnitsPerBit").TextOf());
            string units = ld.Child("LeadAmplitudeUnits").TextOf() ?? "MICROVOLTS";
            double unitToMv = units.ToUpperInvariant() switch
            {
                "MICROVOLTS" or "UV" => 1e-3,
                "MILLIVOLTS" or "MV" => 1.0,
                "NANOVOLTS" or "NV" => 1e-6,
                _ => throw new EcgFormatException(source, $"{what}: lead {leadId}: unknown amplitude units '{units}'"),
            };
            double resolution = uvPerBit ?? 4.88;
            if (!(resolution > 0))
                throw new EcgFormatException(source, $"{what}: lead {leadId}: LeadAmplitudeUnitsPerBit {resolution} is not positive");
            int[] digital = XmlNav.Int16LittleEndian(bytes, n);
            // mV per unit computed as (units per bit) × (mV per unit) so that µV = digital × 4.88 exactly as MUSE states.
            leads.AddDigital(lead, leadId, digital, resolution * unitToMv);
        }
        return (rate, leads.Build());
    }

    private static EcgMetadata ReadMetadata(XElement root)
    {
        var pd = root.Child("PatientDemographics");
        var td = root.Child("TestDemographics");
        double? age = XmlNav.ParseDouble(pd.Child("PatientAge").TextOf());
        if (age is not null)
        {
            string units = (pd.Child("AgeUnits").TextOf() ?? "YEARS").ToUpperInvariant();
            age = units switch
            {
                "YEARS" => age,
                "MONTHS" => age / 12.0,
                "WEEKS" => age * 7 / 365.25,
                "DAYS" => age / 365.25,
                "HOURS" => age / (24 * 365.25),
                _ => null,
            };
            if (age is < 0 or > 200) age = null;
        }
        string? sex = (pd.Child("Gender").TextOf() ?? "").ToUpperInvariant() switch
        {
            "MALE" or "M" => "M",
            "FEMALE" or "F" => "F",
            _ => null,
        };
        DateTimeOffset? acquired = null;
        string? date = td.Child("AcquisitionDate").TextOf();
        string? time = td.Child("AcquisitionTime").TextOf() ?? "00:00:00";
        if (date is not null && DateTime.TryParseExact($"{date} {time}", ["MM-dd-yyyy HH:mm:ss", "MM-dd-yyyy HH:mm", "MM/dd/yyyy HH:mm:ss"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt))
            acquired = new DateTimeOffset(dt, TimeSpan.Zero); // MUSE gives device local time without a zone

        var extra = new Dictionary<string, string>();
        void Put(string key, string? value) { if (value is not null) extra[key] = value; }
        Put("format", "GE MUSE XML");
        Put("muse_version", root.Path("MuseInfo", "MuseVersion").TextOf());
        Put("device", td.Child("AcquisitionDevice").TextOf());
        Put("site", td.Child("SiteName").TextOf());
        Put("acquisition_software", td.Child("AcquisitionSoftwareVersion").TextOf());
        var meas = root.Child("RestingECGMeasurements");
        foreach (var m in new[] { "VentricularRate", "AtrialRate", "PRInterval", "QRSDuration", "QTInterval", "QTCorrected", "PAxis", "RAxis", "TAxis" })
            Put(m, meas.Child(m).TextOf());

        return new EcgMetadata
        {
            Age = age,
            Sex = sex,
            PatientId = pd.Child("PatientID").TextOf(),
            AcquisitionTime = acquired,
            Extra = extra,
        };
    }

    /// <summary>Joins <c>StmtText</c> fragments into lines; a line ends at a statement flagged <c>ENDSLINE</c>.</summary>
    internal static List<string> ReadStatements(XElement? diagnosis)
    {
        var lines = new List<string>();
        if (diagnosis is null) return lines;
        var current = new StringBuilder();
        foreach (var st in diagnosis.Children("DiagnosisStatement"))
        {
            string? text = st.Child("StmtText").TextOf();
            if (text is not null)
            {
                if (current.Length > 0 && !(text[0] is ',' or '.' or ';' or ':' or ')') && current[^1] != ' ')
                    current.Append(' ');
                current.Append(text);
            }
            bool endsLine = st.Children("StmtFlag").Any(f => string.Equals(f.TextOf(), "ENDSLINE", StringComparison.OrdinalIgnoreCase));
            if (endsLine && current.Length > 0)
            {
                lines.Add(current.ToString());
                current.Clear();
                if (lines.Count >= XmlLimits.MaxStatements) break;
            }
        }
        if (current.Length > 0 && lines.Count < XmlLimits.MaxStatements) lines.Add(current.ToString());
        return lines;
    }
}
