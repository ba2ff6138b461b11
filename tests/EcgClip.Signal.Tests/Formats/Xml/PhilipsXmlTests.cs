using EcgClip.Signal.Formats.Xml;
using EcgClip.Signal.Records;
using EcgClip.Testing;

namespace EcgClip.Signal.Tests.Formats.Xml;

/// <summary>
/// Oracle: the upstream sierraecg tests (pysierraecg tests/test_xml.py, lines 8–85) as listed in
/// ../shared/data/philips_xml_sierraecg/SOURCE.md: 12 leads, labels I/II/III, 5500 samples, samples[2750] per lead.
/// </summary>
public sealed class PhilipsXmlTests
{
    private static string Fixture(params string[] parts) => TestPaths.Fixture(["philips_xml_sierraecg", "fixtures", .. parts]);

    public static TheoryData<string, string, int[]> SampleCases => new()
    {
        { "1_03", "129DYPRG.XML", [-9, -17, -7, 13, -1, -12, 0, -1, -3, -4, -7, -6] },
        { "1_04", "3191723_ZZDEMOPTONLY_1-04_orig.xml", [-11, -54, -43, 33, 16, -50, 7, -4, -14, -41, -35, -33] },
        { "1_04", "ad4d3d80-d165_1-04_orig.xml", [32, 46, 14, -39, 9, 30, -74, 320, -1633, 197, 26, 55] },
        { "1_04_01", "2020-5-18_15-48-11.xml", [-12, 78, 90, -33, -51, 84, 14, 3, -24, -20, -13, -21] },
    };

    [Theory]
    [MemberData(nameof(SampleCases))]
    public void Read_Fixture_Sample2750MatchesSierraEcg(string folder, string file, int[] expected)
    {
        var record = XmlEcgReader.Read(Fixture(folder, file));

        Assert.Equal(12, record.Channels.Count);
        Assert.Equal("I", record.Channels[0].Name);
        Assert.Equal("II", record.Channels[1].Name);
        Assert.Equal("III", record.Channels[2].Name);
        Assert.All(record.Channels, c => Assert.Equal(5500, c.Length));
        var actual = record.Channels.Select(c => c.Digital![2750]).ToArray();
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(SampleCases))]
    public void Read_Fixture_PhysicalIsDigitalTimesResolution(string folder, string file, int[] expected)
    {
        var record = XmlEcgReader.Read(Fixture(folder, file));

        Assert.Equal(500.0, record.SamplingRate);
        for (int k = 0; k < 12; k++)
        {
            Assert.Equal("mV", record.Channels[k].Units);
            Assert.Equal(expected[k] * 5 / 1000.0, record.Channels[k].Physical[2750], 12); // resolution 5 µV per unit
        }
    }

    [Fact]
    public void Read_SierraEcg103_MetadataAndStatements()
    {
        var record = XmlEcgReader.Read(Fixture("1_03", "129DYPRG.XML"));

        Assert.Equal(50.0, record.Metadata.Age);
        Assert.Equal("M", record.Metadata.Sex);
        Assert.Equal("1112010721168bdc", record.Metadata.PatientId);
        Assert.Equal(new DateTime(2011, 12, 1, 7, 27, 34), record.Metadata.AcquisitionTime!.Value.DateTime);
        Assert.Equal(["Sinus bradycardia", "Nonspecific intraventricular conduction delay", "Inferior infarct, acute (LCx)", ">>> Acute MI <<<"],
                     record.Statements);
    }

    [Fact]
    public void ReadDetailed_PhilipsEcg104_HasTwelveMedianBeats()
    {
        var ecg = XmlEcgReader.ReadDetailed(Fixture("1_04", "3191723_ZZDEMOPTONLY_1-04_orig.xml"));

        Assert.Equal(XmlEcgDialect.Philips, ecg.Dialect);
        Assert.NotNull(ecg.MedianBeats);
        Assert.Equal(12, ecg.MedianBeats!.Channels.Count);
        Assert.Equal(500.0, ecg.MedianBeats.SamplingRate);
        Assert.Equal(1200, ecg.MedianBeats.SampleCount); // duration="2400" ms at 500 samples/s
        Assert.Contains("SINUS RHYTHM", ecg.Record.Statements);
        Assert.Contains("SR", ecg.Record.Labels);
    }

    [Fact]
    public void Read_PhilipsEcg104_AgeFromDateOfBirthNotDefaultAge()
    {
        // The file: <age defaultage="50"><dateofbirth>1950-01-01</dateofbirth></age>, acquired 2010-01-19 15:19:22.
        var m = XmlEcgReader.Read(Fixture("1_04", "3191723_ZZDEMOPTONLY_1-04_orig.xml")).Metadata;

        Assert.Equal(60.0, m.Age);
        Assert.Equal("M", m.Sex);
        Assert.Equal("9999", m.PatientId);
        Assert.False(string.IsNullOrEmpty(m.RecordId));
        Assert.Equal(new DateTime(2010, 1, 19, 15, 19, 22), m.AcquisitionTime!.Value.DateTime);
    }

    [Fact]
    public void ReadDetailed_RepbeatsWithoutWaveformChild_ReadsMedianBeats()
    {
        var ecg = XmlEcgReader.ReadDetailed(Fixture("1_03", "repbeats_example.xml"));

        Assert.NotNull(ecg.MedianBeats);
        Assert.Equal(1000.0, ecg.MedianBeats!.SamplingRate);
        Assert.Equal(1200, ecg.MedianBeats.SampleCount); // duration="1200" ms at 1000 samples/s
    }

    [Fact]
    public void Read_DeidWithoutNamespace_Reads()
    {
        var record = XmlEcgReader.Read(Fixture("deid_3.xml"));

        Assert.Equal(12, record.Channels.Count);
        Assert.Equal(5500, record.SampleCount);
        Assert.Contains("Sinus bradycardia with 1st degree A-V block", record.Statements);
    }

    [Theory]
    [InlineData("invalid-doc-type.xml", "MortaraECG")]
    [InlineData("invalid-doc-version.xml", "1.05")]
    public void Read_UnsupportedDocument_ThrowsNamingFileAndReason(string file, string reasonPart)
    {
        string path = Fixture(file);
        var e = Assert.Throws<EcgFormatException>(() => XmlEcgReader.Read(path));
        Assert.Equal(path, e.Path);
        Assert.Contains(reasonPart, e.Reason);
    }

    [Theory]
    [InlineData("1_03", "129DYPRG.XML")]
    [InlineData("1_04", "3191723_ZZDEMOPTONLY_1-04_orig.xml")]
    public void EcgReaderRead_PhilipsXml_DispatchesToXmlReader(string folder, string file)
    {
        var record = EcgClip.Signal.Formats.EcgReader.Read(Fixture(folder, file));

        Assert.Equal(12, record.Channels.Count);
        Assert.Equal(5500, record.SampleCount);
    }
}
