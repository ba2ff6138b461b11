using System.Globalization;
using System.Text;

namespace EcgClip.Signal.Tests.Formats.Xml;

/// <summary>
/// Small, well-formed documents of each dialect (a few samples per lead) used as seeds for the fuzz properties,
/// plus an XLI encoder (the inverse of the published decoding) to build Philips seeds.
/// </summary>
internal static class XmlTestDocuments
{
    private static readonly string[] MuseLeads = ["I", "II", "V1", "V2", "V3", "V4", "V5", "V6"];

    /// <summary>Deterministic small test signal for lead <paramref name="lead"/>, sample <paramref name="t"/> (ADC units).</summary>
    public static short Signal(int lead, int t) => (short)(((lead + 1) * 37 * t) % 200 - 100 + 10 * lead);

    public static string Muse(int samples = 16)
    {
        var sb = new StringBuilder();
        sb.Append("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<!DOCTYPE RestingECG SYSTEM \"restecg.dtd\">\n<RestingECG>\n");
        sb.Append("<PatientDemographics><PatientID>123</PatientID><PatientAge>61</PatientAge><AgeUnits>YEARS</AgeUnits><Gender>FEMALE</Gender></PatientDemographics>\n");
        sb.Append("<TestDemographics><AcquisitionTime>08:15:00</AcquisitionTime><AcquisitionDate>01-02-2020</AcquisitionDate></TestDemographics>\n");
        sb.Append("<Diagnosis><DiagnosisStatement><StmtFlag>ENDSLINE</StmtFlag><StmtText>Sinus rhythm</StmtText></DiagnosisStatement></Diagnosis>\n");
        foreach (var (type, n) in new[] { ("Median", samples / 2), ("Rhythm", samples) })
        {
            sb.Append($"<Waveform><WaveformType>{type}</WaveformType><NumberofLeads>8</NumberofLeads><SampleType>CONTINUOUS_SAMPLES</SampleType><SampleBase>500</SampleBase><SampleExponent>0</SampleExponent>\n");
            for (int l = 0; l < MuseLeads.Length; l++)
            {
                var bytes = new byte[2 * n];
                for (int t = 0; t < n; t++)
                {
                    short v = Signal(l, t);
                    bytes[2 * t] = (byte)v;
                    bytes[2 * t + 1] = (byte)(v >> 8);
                }
                sb.Append($"<LeadData><LeadByteCountTotal>{2 * n}</LeadByteCountTotal><LeadSampleCountTotal>{n}</LeadSampleCountTotal>");
                sb.Append("<LeadAmplitudeUnitsPerBit>4.88</LeadAmplitudeUnitsPerBit><LeadAmplitudeUnits>MICROVOLTS</LeadAmplitudeUnits>");
                sb.Append($"<LeadID>{MuseLeads[l]}</LeadID><LeadSampleSize>2</LeadSampleSize><WaveFormData>{Convert.ToBase64String(bytes)}</WaveFormData></LeadData>\n");
            }
            sb.Append("</Waveform>\n");
        }
        sb.Append("</RestingECG>\n");
        return sb.ToString();
    }

    public static string Aecg(int samples = 16)
    {
        string[] leads = ["I", "II", "V1", "V2", "V3", "V4", "V5", "V6"];
        var sb = new StringBuilder();
        sb.Append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<AnnotatedECG xmlns=\"urn:hl7-org:v3\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n");
        sb.Append("<id root=\"abc\"/><effectiveTime><center value=\"20200102081500\"/></effectiveTime>\n");
        sb.Append("<component><series><code code=\"RHYTHM\"/><component><sequenceSet>\n");
        sb.Append("<component><sequence><code code=\"TIME_ABSOLUTE\"/><value xsi:type=\"GLIST_TS\"><head value=\"20200102081500.000\"/><increment value=\"0.002\" unit=\"s\"/></value></sequence></component>\n");
        for (int l = 0; l < leads.Length; l++)
        {
            sb.Append($"<component><sequence><code code=\"MDC_ECG_LEAD_{leads[l]}\"/><value xsi:type=\"SLIST_PQ\"><origin value=\"0\" unit=\"uV\"/><scale value=\"2.5\" unit=\"uV\"/><digits>");
            for (int t = 0; t < samples; t++) sb.Append(Signal(l, t).ToString(CultureInfo.InvariantCulture)).Append(' ');
            sb.Append("</digits></value></sequence></component>\n");
        }
        sb.Append("</sequenceSet></component>\n");
        sb.Append("<subjectOf><annotationSet><component><annotation><code code=\"MDC_ECG_INTERPRETATION\"/><component><annotation>");
        sb.Append("<code code=\"MDC_ECG_INTERPRETATION_STATEMENT\"/><value xsi:type=\"ST\">Sinus rhythm</value></annotation></component>");
        sb.Append("<component><annotation><code code=\"MDC_ECG_INTERPRETATION_STATEMENT\"/><value xsi:type=\"ST\">Normal ECG</value></annotation></component>");
        sb.Append("</annotation></component></annotationSet></subjectOf>\n");
        sb.Append("</series></component>\n</AnnotatedECG>\n");
        return sb.ToString();
    }

    public static string Philips(int samples = 16)
    {
        var data = new List<byte>();
        for (int l = 0; l < 12; l++)
        {
            var s = new short[samples];
            for (int t = 0; t < samples; t++) s[t] = Signal(l, t);
            data.AddRange(XliEncode(s));
        }
        int durationMs = samples * 2; // 500 samples/s
        var sb = new StringBuilder();
        sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<restingecgdata xmlns=\"http://www3.medical.philips.com\">\n");
        sb.Append("<documentinfo><documenttype>PhilipsECG</documenttype><documentversion>1.04</documentversion></documentinfo>\n");
        sb.Append("<dataacquisition date=\"2020-01-02\" time=\"08:15:00\"><signalcharacteristics><samplingrate>500</samplingrate><resolution>5</resolution></signalcharacteristics></dataacquisition>\n");
        sb.Append("<patient><generalpatientdata><patientid>123</patientid><age><years>61</years></age><sex>Female</sex></generalpatientdata></patient>\n");
        sb.Append("<interpretations><interpretation><statement><statementcode>SR</statementcode><leftstatement>SINUS RHYTHM</leftstatement></statement></interpretation></interpretations>\n");
        sb.Append($"<waveforms><parsedwaveforms dataencoding=\"Base64\" compression=\"XLI\" numberofleads=\"12\" leadlabels=\"I II III aVR aVL aVF V1 V2 V3 V4 V5 V6\" durationperchannel=\"{durationMs}\" samplespersecond=\"500\" resolution=\"5\" signaloffset=\"0\">");
        sb.Append(Convert.ToBase64String(data.ToArray()));
        sb.Append("</parsedwaveforms>\n<repbeats dataencoding=\"Base64\" samplespersec=\"500\" resolution=\"5\">");
        foreach (var name in new[] { "I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6" })
            sb.Append($"<repbeat leadname=\"{name}\"><waveform duration=\"8\">AQACAAMABAA=</waveform></repbeat>");
        sb.Append("</repbeats></waveforms>\n</restingecgdata>\n");
        return sb.ToString();
    }

    /// <summary>
    /// XLI-encodes one lead: second-difference coding (the exact inverse of the decoder's predictor), the high/low byte
    /// split, then 10-bit LZW (MSB first), behind the 8-byte header (int32 size, int16 code = 1, int16 first value).
    /// </summary>
    public static byte[] XliEncode(short[] s)
    {
        int n = s.Length;
        var v = new short[n];
        short first = 0;
        if (n > 0) v[0] = s[0];
        if (n > 1) v[1] = s[1];
        if (n > 2) first = (short)(2 * s[1] - s[0] - s[2]);
        for (int j = 2; j < n - 1; j++) v[j] = (short)(2 * s[j] - s[j - 1] - s[j + 1] + 64);
        if (n > 2) v[n - 1] = 64;
        var raw = new byte[2 * n];
        for (int i = 0; i < n; i++)
        {
            raw[i] = (byte)(v[i] >> 8);
            raw[n + i] = (byte)v[i];
        }
        byte[] lzw = LzwEncode(raw);
        var block = new byte[8 + lzw.Length];
        BitConverter.TryWriteBytes(block.AsSpan(0, 4), lzw.Length);
        BitConverter.TryWriteBytes(block.AsSpan(4, 2), (short)1);
        BitConverter.TryWriteBytes(block.AsSpan(6, 2), first);
        lzw.CopyTo(block, 8);
        return block;
    }

    private static byte[] LzwEncode(byte[] input)
    {
        const int bits = 10, maxCode = (1 << bits) - 2;
        var table = new Dictionary<string, int>();
        for (int c = 0; c < 256; c++) table[((char)c).ToString()] = c;
        int next = 256;
        var codes = new List<int>();
        string w = "";
        foreach (byte b in input)
        {
            string wc = w + (char)b;
            if (table.ContainsKey(wc)) { w = wc; continue; }
            codes.Add(table[w]);
            if (next <= maxCode) table[wc] = next++;
            w = ((char)b).ToString();
        }
        if (w.Length > 0) codes.Add(table[w]);
        var output = new List<byte>();
        ulong acc = 0;
        int count = 0;
        foreach (int code in codes)
        {
            acc = (acc << bits) | (uint)code;
            count += bits;
            while (count >= 8)
            {
                output.Add((byte)(acc >> (count - 8)));
                count -= 8;
            }
        }
        if (count > 0) output.Add((byte)(acc << (8 - count)));
        return output.ToArray();
    }
}
