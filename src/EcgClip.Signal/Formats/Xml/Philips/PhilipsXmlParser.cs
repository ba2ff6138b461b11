using System.Globalization;
using System.Xml.Linq;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Formats.Xml.Philips;

/// <summary>
/// Philips <c>&lt;restingecgdata&gt;</c> (SierraECG 1.03/1.04, PhilipsECG 1.04.x). The rhythm is in
/// <c>waveforms/parsedwaveforms</c>, base64 + XLI compressed (<see cref="XliDecoder"/>), one block per lead in the
/// order of <c>leadlabels</c> (default I, II, III, aVR, aVL, aVF, V1–V6). Leads III, aVR, aVL and aVF are stored as
/// residuals and reconstituted as in sierraecg: III = II − I − r, aVR = −r − (I+II)/2, aVL = (I − III)/2 − r,
/// aVF = (II + III)/2 − r (integer division rounding down, i.e. floor). Amplitude resolution in µV per unit,
/// duration per channel in ms. Representative beats (<c>repbeats</c>) are uncompressed little-endian int16.
/// </summary>
internal static class PhilipsXmlParser
{
    public const string RootName = "restingecgdata";

    private static readonly string[] DefaultLabels = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"];

    public static XmlEcg Parse(XElement root, string source)
    {
        CheckDocument(root, source);
        var pw = root.Path("waveforms", "parsedwaveforms")
            ?? throw new EcgFormatException(source, "Philips: no <waveforms><parsedwaveforms> element");
        var sc = root.Path("dataacquisition", "signalcharacteristics");

        double rate = XmlNav.ParseDouble(pw.Attr("samplespersecond")) ?? XmlNav.ParseDouble(sc.Child("samplingrate").TextOf())
            ?? throw new EcgFormatException(source, "Philips: no sampling rate (samplespersecond / samplingrate)");
        if (!(rate > 0) || rate > 1e6) throw new EcgFormatException(source, $"Philips: sampling rate {rate} Hz out of range");
        double resolutionUv = XmlNav.ParseDouble(pw.Attr("resolution")) ?? XmlNav.ParseDouble(sc.Child("resolution").TextOf())
            ?? XmlNav.ParseDouble(sc.Child("signalresolution").TextOf())
            ?? throw new EcgFormatException(source, "Philips: no amplitude resolution (resolution / signalresolution, µV per unit)");
        if (!(resolutionUv > 0)) throw new EcgFormatException(source, $"Philips: amplitude resolution {resolutionUv} µV is not positive");
        int offset = XmlNav.ParseInt(pw.Attr("signaloffset")) ?? XmlNav.ParseInt(sc.Child("signaloffset").TextOf()) ?? 0;
        double durationMs = XmlNav.ParseDouble(pw.Attr("durationperchannel"))
            ?? throw new EcgFormatException(source, "Philips: parsedwaveforms has no durationperchannel (ms)");
        double samplesD = Math.Round(durationMs * rate / 1000.0);
        if (!(samplesD >= 1) || samplesD > XmlLimits.MaxSamplesPerLead)
            throw new EcgFormatException(source, $"Philips: {samplesD} samples per lead out of range");
        int samples = (int)samplesD;

        string compression = pw.Attr("compression") ?? pw.Attr("compressmethod") ?? "";
        bool compressed = !string.Equals(pw.Attr("compressflag"), "False", StringComparison.OrdinalIgnoreCase)
                          && compression.Length > 0;
        if (!compressed || !string.Equals(compression, "XLI", StringComparison.OrdinalIgnoreCase))
            throw new EcgFormatException(source, $"Philips: waveform compression '{compression}' not supported (only XLI)");
        string encoding = pw.Attr("dataencoding") ?? "Base64";
        if (!string.Equals(encoding, "Base64", StringComparison.OrdinalIgnoreCase))
            throw new EcgFormatException(source, $"Philips: waveform data encoding '{encoding}' not supported (only Base64)");

        string[] labels = pw.Attr("leadlabels") is { Length: > 0 } ll
            ? ll.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : DefaultLabels;
        byte[] data = XmlNav.DecodeBase64(pw.Value, source, "Philips parsedwaveforms");
        var blocks = XliDecoder.Decode(data, 2 * samples + 16, XmlLimits.MaxLeads, source); // lenient bound, trimmed below
        if (blocks.Count < labels.Length)
            throw new EcgFormatException(source, $"Philips: {blocks.Count} XLI blocks for {labels.Length} lead labels");

        var byLead = new short[]?[12];
        for (int i = 0; i < labels.Length; i++)
        {
            if (!LeadNames.TryParse(labels[i], out var lead)) continue;
            if (blocks[i].Length < samples)
                throw new EcgFormatException(source, $"Philips: lead {labels[i]} decodes to {blocks[i].Length} samples, {samples} expected");
            if (byLead[(int)lead] is not null)
                throw new EcgFormatException(source, $"Philips: lead {labels[i]} appears twice");
            byLead[(int)lead] = blocks[i];
        }
        for (int k = 0; k < 12; k++)
            if (byLead[k] is null)
                throw new EcgFormatException(source, $"Philips: lead {LeadNames.Canonical12[k]} missing from parsedwaveforms");
        var digital = new int[12][];
        for (int k = 0; k < 12; k++)
        {
            digital[k] = new int[samples];
            var src = byLead[k]!;
            for (int t = 0; t < samples; t++) digital[k][t] = src[t];
        }
        ReconstituteLimbLeads(digital);

        var builder = new LeadSetBuilder(source, "Philips rhythm");
        double mvPerUnit = resolutionUv / 1000.0;
        for (int k = 0; k < 12; k++)
            builder.AddDigital((Lead)k, LeadNames.Canonical12[k], digital[k], mvPerUnit, offset);

        var metadata = ReadMetadata(root, source);
        var (statements, codes) = ReadStatements(root);
        string name = System.IO.Path.GetFileNameWithoutExtension(source);
        var record = new EcgRecord(name, rate, builder.Build(), metadata, statements, codes, source);
        var median = ReadRepBeats(root.Path("waveforms", "repbeats"), source, name, metadata);
        return new XmlEcg(XmlEcgDialect.Philips, record, median);
    }

    private static void CheckDocument(XElement root, string source)
    {
        var info = root.Child("documentinfo");
        string? type = info.Child("documenttype").TextOf();
        string? version = info.Child("documentversion").TextOf();
        bool ok = type switch
        {
            "SierraECG" => version is "1.03" or "1.04",
            "PhilipsECG" => version is not null && (version == "1.04" || version.StartsWith("1.04.", StringComparison.Ordinal)),
            _ => false,
        };
        if (!ok)
            throw new EcgFormatException(source, $"Philips: unsupported document type/version '{type ?? "?"}' '{version ?? "?"}' (SierraECG 1.03/1.04, PhilipsECG 1.04.x)");
    }

    /// <summary>Recomputes III, aVR, aVL, aVF (indices 2–5) from the stored residuals, in place, 16-bit as stored.</summary>
    internal static void ReconstituteLimbLeads(int[][] d)
    {
        int[] i1 = d[0], i2 = d[1], iii = d[2], avr = d[3], avl = d[4], avf = d[5];
        for (int t = 0; t < i1.Length; t++)
        {
            int l3 = (short)(i2[t] - i1[t] - iii[t]);
            iii[t] = l3;
            // ">> 1" is floor division by two, as numpy's "//" in the sierraecg reference (the oracle needs floor, not truncation).
            avr[t] = (short)(-avr[t] - ((i1[t] + i2[t]) >> 1));
            avl[t] = (short)(((i1[t] - l3) >> 1) - avl[t]);
            avf[t] = (short)(((i2[t] + l3) >> 1) - avf[t]);
        }
    }

    private static EcgRecord? ReadRepBeats(XElement? rb, string source, string name, EcgMetadata metadata)
    {
        if (rb is null) return null;
        double rate = XmlNav.ParseDouble(rb.Attr("samplespersec")) ?? 0;
        double resolutionUv = XmlNav.ParseDouble(rb.Attr("resolution")) ?? 0;
        if (!(rate > 0) || rate > 1e6 || !(resolutionUv > 0))
            throw new EcgFormatException(source, "Philips: repbeats without a valid samplespersec / resolution");
        string encoding = rb.Attr("dataencoding") ?? "Base64";
        if (!string.Equals(encoding, "Base64", StringComparison.OrdinalIgnoreCase))
            throw new EcgFormatException(source, $"Philips: repbeats data encoding '{encoding}' not supported");
        var builder = new LeadSetBuilder(source, "Philips repbeats");
        int count = 0;
        foreach (var beat in rb.Children("repbeat"))
        {
            if (++count > XmlLimits.MaxLeads) throw new EcgFormatException(source, "Philips: too many repbeat leads");
            string label = beat.Attr("leadname") ?? throw new EcgFormatException(source, "Philips: repbeat without leadname");
            if (!LeadNames.TryParse(label, out var lead)) continue;
            var wf = beat.Child("waveform");
            string text = wf is not null ? wf.Value : string.Concat(beat.Nodes().OfType<XText>().Select(x => x.Value));
            byte[] bytes = XmlNav.DecodeBase64(text, source, $"Philips repbeat {label}");
            int n = bytes.Length / 2;
            if (n == 0 || n > XmlLimits.MaxSamplesPerLead)
                throw new EcgFormatException(source, $"Philips: repbeat {label}: {n} samples out of range");
            builder.AddDigital(lead, label, XmlNav.Int16LittleEndian(bytes, n), resolutionUv / 1000.0);
        }
        if (count == 0) return null;
        return new EcgRecord(name + "_median", rate, builder.Build(), metadata, sourcePath: source);
    }

    private static EcgMetadata ReadMetadata(XElement root, string source)
    {
        var gp = root.Path("patient", "generalpatientdata");
        var acq = root.Child("dataacquisition");
        DateTimeOffset? acquired = null;
        if (acq.Attr("date") is { } date && DateTime.TryParseExact($"{date} {acq.Attr("time") ?? "00:00:00"}",
                ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt))
            acquired = new DateTimeOffset(dt, TimeSpan.Zero); // device local time; the file has no zone

        // Age: explicit years / months / days, else from the date of birth at acquisition. The "defaultage"
        // attribute is the age the analysis assumes when none was entered, so it is not the patient's age.
        var ageEl = gp.Child("age");
        double? age = XmlNav.ParseDouble(ageEl.Child("years").TextOf());
        if (age is null && XmlNav.ParseDouble(ageEl.Child("months").TextOf()) is { } months) age = months / 12.0;
        if (age is null && XmlNav.ParseDouble(ageEl.Child("days").TextOf()) is { } days) age = days / 365.25;
        if (age is null && acquired is { } at && ageEl.Child("dateofbirth").TextOf() is { } dobText
            && DateTime.TryParseExact(dobText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dob))
        {
            int years = at.Year - dob.Year;
            if (at.DateTime < dob.AddYears(years)) years--;
            age = years;
        }
        if (age is < 0 or > 200) age = null;
        string? sex = (gp.Child("sex").TextOf() ?? "").ToUpperInvariant() switch
        {
            "MALE" or "M" => "M",
            "FEMALE" or "F" => "F",
            _ => null,
        };

        var extra = new Dictionary<string, string>();
        void Put(string key, string? value) { if (value is not null) extra[key] = value; }
        var info = root.Child("documentinfo");
        Put("format", "Philips XML");
        Put("document_type", info.Child("documenttype").TextOf());
        Put("document_version", info.Child("documentversion").TextOf());
        Put("device", acq.Path("machine").TextOf());
        Put("acquisition_type", acq.Path("signalcharacteristics", "acquisitiontype").TextOf());
        return new EcgMetadata
        {
            Age = age,
            Sex = sex,
            PatientId = gp.Child("patientid").TextOf(),
            RecordId = root.Path("documentinfo", "documentname").TextOf(),
            AcquisitionTime = acquired,
            Extra = extra,
        };
    }

    private static (List<string> Statements, List<string> Codes) ReadStatements(XElement root)
    {
        var statements = new List<string>();
        var codes = new List<string>();
        var interp = root.Path("interpretations", "interpretation");
        foreach (var st in interp.Children("statement"))
        {
            if (statements.Count >= XmlLimits.MaxStatements) break;
            if (st.Child("leftstatement").TextOf() is { } left) statements.Add(left);
            if (st.Child("statementcode").TextOf() is { } code) codes.Add(code);
        }
        return (statements, codes);
    }
}
