using EcgClip.Signal.Formats.Xml;
using EcgClip.Signal.Records;
using EcgClip.Testing;

namespace EcgClip.Signal.Tests.Formats.Xml;

/// <summary>
/// Oracle: ../shared/data/ecgtoolkit_examples/Example.xml (HL7 aECG ballot sample; SOURCE.md: 12-lead). Expected
/// values are the file's own text (origin 0 µV, scale 2.5 µV, 500 Hz from increment 0.002 s) and the physical
/// relations between the stored limb leads (III = II − I exactly, Goldberger within half a unit).
/// </summary>
public sealed class AecgXmlTests
{
    private static string Example => TestPaths.Fixture("ecgtoolkit_examples", "Example.xml");

    [Fact]
    public void Read_Example_TwelveLeadsOf5000At500Hz()
    {
        var record = XmlEcgReader.Read(Example);

        Assert.Equal(500.0, record.SamplingRate);
        Assert.Equal(LeadNames.Canonical12, record.Channels.Select(c => c.Name));
        Assert.Equal(5000, record.SampleCount);
    }

    [Fact]
    public void Read_Example_ValuesAreDigitsTimesScale()
    {
        var record = XmlEcgReader.Read(Example);

        // First digits in the file: lead I "-2 -2 -2", lead II "-7 -7 -7"; lead I[2500] = -9, II[2500] = -2, V6[4999] = -15.
        Assert.Equal(-2, record.Channels[(int)Lead.I].Digital![0]);
        Assert.Equal(-0.005, record.Channels[(int)Lead.I].Physical[0], 12);
        Assert.Equal(-0.0175, record.Channels[(int)Lead.II].Physical[0], 12);
        Assert.Equal(-9 * 0.0025, record.Channels[(int)Lead.I].Physical[2500], 12);
        Assert.Equal(-2 * 0.0025, record.Channels[(int)Lead.II].Physical[2500], 12);
        Assert.Equal(-15 * 0.0025, record.Channels[(int)Lead.V6].Physical[4999], 12);
    }

    [Fact]
    public void Read_Example_StoredLimbLeadsObeyEinthovenAndGoldberger()
    {
        var c = XmlEcgReader.Read(Example).Channels;

        for (int t = 0; t < 5000; t++)
        {
            int i = c[0].Digital![t], ii = c[1].Digital![t];
            Assert.Equal(ii - i, c[2].Digital![t]);
            Assert.InRange(c[3].Digital![t] + (i + ii) / 2.0, -0.5, 0.5);
            Assert.InRange(c[4].Digital![t] - (i - ii / 2.0), -0.5, 0.5);
            Assert.InRange(c[5].Digital![t] - (ii - i / 2.0), -0.5, 0.5);
        }
    }

    [Fact]
    public void ReadDetailed_Example_RepresentativeBeatAndMetadata()
    {
        var ecg = XmlEcgReader.ReadDetailed(Example);

        Assert.Equal(XmlEcgDialect.Hl7Aecg, ecg.Dialect);
        Assert.NotNull(ecg.MedianBeats);
        Assert.Equal(12, ecg.MedianBeats!.Channels.Count);
        Assert.Equal(599, ecg.MedianBeats.SampleCount);
        var m = ecg.Record.Metadata;
        Assert.Equal("M", m.Sex);
        Assert.Equal(46.0, m.Age);
        Assert.Equal("SBJ-123", m.PatientId);
        Assert.Equal(new DateTimeOffset(2002, 11, 22, 9, 10, 0, TimeSpan.Zero), m.AcquisitionTime);
    }

    [Fact]
    public void Read_InterpretationAnnotations_BecomeStatements()
    {
        var record = XmlEcgReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(XmlTestDocuments.Aecg())), "synthetic.xml");

        Assert.Equal(["Sinus rhythm", "Normal ECG"], record.Statements);
        Assert.Equal(new DateTimeOffset(2020, 1, 2, 8, 15, 0, TimeSpan.Zero), record.Metadata.AcquisitionTime);
        // Only I, II, V1–V6 stored: the limb leads are derived.
        var c = record.Channels;
        Assert.Equal(c[1].Physical[5] - c[0].Physical[5], c[2].Physical[5], 12);
        Assert.Equal(c[0].Physical[5] - c[1].Physical[5] / 2, c[4].Physical[5], 12);
        Assert.Equal(c[1].Physical[5] - c[0].Physical[5] / 2, c[5].Physical[5], 12);
    }

    [Theory]
    [InlineData("20021122091000", 2002, 11, 22, 9, 10, 0, 0)]
    [InlineData("20021122091000.500-0500", 2002, 11, 22, 9, 10, 0, -5)]
    [InlineData("20021122", 2002, 11, 22, 0, 0, 0, 0)]
    public void ParseTs_Hl7Timestamps_Parsed(string ts, int y, int mo, int d, int h, int mi, int s, int offsetHours)
    {
        var parsed = EcgClip.Signal.Formats.Xml.Aecg.AecgParser.ParseTs(ts);

        Assert.NotNull(parsed);
        Assert.Equal(new DateTime(y, mo, d, h, mi, s), new DateTime(parsed!.Value.Year, parsed.Value.Month, parsed.Value.Day, parsed.Value.Hour, parsed.Value.Minute, parsed.Value.Second));
        Assert.Equal(TimeSpan.FromHours(offsetHours), parsed.Value.Offset);
    }
}
