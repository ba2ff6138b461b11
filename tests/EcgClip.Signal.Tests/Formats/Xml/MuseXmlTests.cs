using System.Buffers.Binary;
using EcgClip.Signal.Formats;
using EcgClip.Signal.Formats.Wfdb;
using EcgClip.Signal.Formats.Xml;
using EcgClip.Signal.Records;
using EcgClip.Testing;

namespace EcgClip.Signal.Tests.Formats.Xml;

/// <summary>
/// Oracle: muse-sinus.dat, the WFDB conversion made by the EGM R package, which per
/// ../shared/data/ge_muse_xml_egm/SOURCE.md holds microvolts: dat = round(adc × 4.88), derived leads computed in ADC
/// units. The .hea gain (200/mV) is known to be wrong, so the digital .dat values are compared (format 16, read here).
/// The GE data is GPL: it is only read from ../shared/data, never copied.
/// </summary>
public sealed class MuseXmlTests
{
    private static string Data(string file) => TestPaths.Shared("ge_muse_xml_egm", file);

    /// <summary>Reads a WFDB format-16 record: the header's signal names and the interleaved little-endian int16 samples.</summary>
    private static (string[] Names, short[][] Samples) ReadWfdb16(string hea, string dat)
    {
        var lines = File.ReadAllLines(hea).Where(l => l.Length > 0 && l[0] != '#').ToArray();
        var head = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int nsig = int.Parse(head[1]);
        int nsamp = int.Parse(head[3]);
        var names = new string[nsig];
        for (int s = 0; s < nsig; s++)
        {
            var f = lines[1 + s].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("16", f[1]);
            names[s] = f[^1];
        }
        byte[] bytes = File.ReadAllBytes(dat);
        Assert.Equal(nsig * nsamp * 2, bytes.Length);
        var samples = new short[nsig][];
        for (int s = 0; s < nsig; s++)
        {
            samples[s] = new short[nsamp];
            for (int t = 0; t < nsamp; t++)
                samples[s][t] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(2 * (t * nsig + s)));
        }
        return (names, samples);
    }

    [SharedDataFact("ge_muse_xml_egm/muse-sinus.xml")]
    public void Read_MuseSinus_AllTwelveLeadsMatchWfdbConversionInMicrovolts()
    {
        var record = XmlEcgReader.Read(Data("muse-sinus.xml"));
        var (names, dat) = ReadWfdb16(Data("muse-sinus.hea"), Data("muse-sinus.dat"));

        Assert.Equal(500.0, record.SamplingRate);
        Assert.Equal(12, record.Channels.Count);
        Assert.Equal(LeadNames.Canonical12, record.Channels.Select(c => c.Name));
        Assert.Equal(5000, record.SampleCount);
        int compared = 0;
        for (int s = 0; s < names.Length; s++)
        {
            Assert.True(LeadNames.TryParse(names[s], out var lead), names[s]);
            var ch = record.Channels[(int)lead];
            for (int t = 0; t < 5000; t++)
            {
                long microvolts = (long)Math.Round(ch.Physical[t] * 1000.0, MidpointRounding.AwayFromZero);
                if (microvolts != dat[s][t])
                    Assert.Fail($"lead {names[s]} sample {t}: reader {ch.Physical[t] * 1000.0} µV, WFDB {dat[s][t]} µV");
                compared++;
            }
        }
        Assert.Equal(12 * 5000, compared);
    }

    [SharedDataFact("ge_muse_xml_egm/muse-sinus.xml")]
    public void Read_MuseSinus_MatchesWfdbReaderDigitalValues()
    {
        // Same oracle through the WFDB engineer's reader: its Digital values are the .dat microvolts.
        var xml = XmlEcgReader.Read(Data("muse-sinus.xml"));
        var wfdb = WfdbReader.Read(Data("muse-sinus.hea"));

        Assert.Equal(12, wfdb.Channels.Count);
        foreach (var w in wfdb.Channels)
        {
            Assert.True(LeadNames.TryParse(w.Name, out var lead), w.Name);
            var x = xml.Channels[(int)lead];
            for (int t = 0; t < w.Length; t++)
                Assert.Equal(w.Digital![t], (int)Math.Round(x.Physical[t] * 1000.0, MidpointRounding.AwayFromZero));
        }
    }

    [SharedDataFact("ge_muse_xml_egm/muse-sinus.xml")]
    public void EcgReaderRead_MuseXml_DispatchesToXmlReader()
    {
        var record = EcgReader.Read(Data("muse-sinus.xml"));

        Assert.Equal(LeadNames.Canonical12, record.Channels.Select(c => c.Name));
        Assert.Equal(5000, record.SampleCount);
    }

    [SharedDataFact("ge_muse_xml_egm/muse-sinus.xml")]
    public void Read_MuseSinus_StoredLeadsKeepDigitalValues()
    {
        var record = XmlEcgReader.Read(Data("muse-sinus.xml"));

        foreach (var lead in new[] { Lead.I, Lead.II, Lead.V1, Lead.V2, Lead.V3, Lead.V4, Lead.V5, Lead.V6 })
        {
            var ch = record.Channels[(int)lead];
            Assert.NotNull(ch.Digital);
            Assert.Equal(1000.0 / 4.88, ch.Gain, 9);
            for (int t = 0; t < ch.Length; t += 97)
                Assert.Equal(ch.Digital![t] * 4.88 / 1000.0, ch.Physical[t], 12);
        }
    }

    [SharedDataFact("ge_muse_xml_egm/muse-sinus.xml")]
    public void Read_MuseSinus_StatementsAsListedInSource()
    {
        var record = XmlEcgReader.Read(Data("muse-sinus.xml"));

        Assert.Equal(["Normal Sinus rhythm", "Anterior infarct, age undetermined", "T wave abnormality, consider lateral ischemia", "Abnormal ECG"],
                     record.Statements.Take(4));
    }

    [SharedDataFact("ge_muse_xml_egm/muse-sinus.xml")]
    public void Read_MuseSinus_Metadata()
    {
        var m = XmlEcgReader.Read(Data("muse-sinus.xml")).Metadata;

        Assert.Equal(43.0, m.Age);
        Assert.Equal("M", m.Sex);
        Assert.Equal("081486213", m.PatientId);
        Assert.Equal(new DateTime(2023, 4, 29, 22, 41, 16), m.AcquisitionTime!.Value.DateTime);
        Assert.Equal("MV360", m.Extra["device"]);
    }

    [SharedDataFact("ge_muse_xml_egm/muse-sinus.xml")]
    public void ReadDetailed_MuseSinus_MedianBeatsHaveTwelveLeadsOf600()
    {
        var ecg = XmlEcgReader.ReadDetailed(Data("muse-sinus.xml"));

        Assert.Equal(XmlEcgDialect.GeMuse, ecg.Dialect);
        Assert.NotNull(ecg.MedianBeats);
        Assert.Equal(12, ecg.MedianBeats!.Channels.Count);
        Assert.Equal(600, ecg.MedianBeats.SampleCount);
        // Derived leads obey Einthoven/Goldberger exactly (up to rounding of doubles).
        var c = ecg.MedianBeats.Channels;
        for (int t = 0; t < 600; t++)
        {
            Assert.Equal(c[1].Physical[t] - c[0].Physical[t], c[2].Physical[t], 9);
            Assert.Equal(-(c[0].Physical[t] + c[1].Physical[t]) / 2, c[3].Physical[t], 9);
        }
    }

    [Fact]
    public void Crc32_CheckString_MatchesPublishedCheckValue()
        => Assert.Equal(0xCBF43926u, EcgClip.Signal.Formats.Xml.Muse.Crc32.Compute("123456789"u8)); // CRC-32/ISO-HDLC check value

    [SharedDataFact("ge_muse_xml_egm/muse-sinus.xml")]
    public void Read_MuseSinusWithCorruptedWaveform_RefusedForCrcMismatch()
    {
        string text = File.ReadAllText(Data("muse-sinus.xml"), System.Text.Encoding.Latin1);
        int at = text.IndexOf("<WaveFormData>", StringComparison.Ordinal) + "<WaveFormData>".Length;
        while (!char.IsAsciiLetterOrDigit(text[at])) at++;
        char replacement = text[at] == 'A' ? 'B' : 'A'; // still valid base64, different bytes
        string corrupted = text[..at] + replacement + text[(at + 1)..];

        var e = Assert.Throws<EcgFormatException>(() => XmlEcgReader.Read(new MemoryStream(System.Text.Encoding.Latin1.GetBytes(corrupted)), "corrupt.xml"));
        Assert.Contains("CRC32", e.Reason);
    }
}
