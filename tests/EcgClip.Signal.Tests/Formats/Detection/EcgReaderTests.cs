using EcgClip.Signal.Formats;
using EcgClip.Signal.Records;
using EcgClip.Testing;

namespace EcgClip.Signal.Tests.Formats.Detection;

/// <summary><see cref="EcgReader"/> detects formats from extension and content and dispatches to the right reader.</summary>
public sealed class EcgReaderTests
{
    private static string Sample(string name) => TestPaths.Fixture("wfdb_python_samples", "sample-data", name);

    [Fact]
    public void Detect_WfdbSpellings_AllResolveToHeader()
    {
        string hea = Sample("100.hea");
        Assert.Equal((EcgFileFormat.Wfdb, hea), EcgReader.Detect(hea));
        Assert.Equal((EcgFileFormat.Wfdb, hea), EcgReader.Detect(hea[..^4]));
        Assert.Equal(EcgFileFormat.Wfdb, EcgReader.Detect(Sample("100.dat")).Format);
        Assert.Equal(EcgFileFormat.CincMat, EcgReader.Detect(TestPaths.Fixture("cinc2021_samples", "JS20000.mat")).Format);
        Assert.Equal(EcgFileFormat.CincMat, EcgReader.Detect(TestPaths.Fixture("cinc2021_samples", "JS20000.hea")).Format);
    }

    [SharedDataFact("ge_muse_xml_egm/muse-sinus.xml")]
    public void Read_MuseXml_DispatchesToXmlReader()
    {
        string xml = TestPaths.Shared("ge_muse_xml_egm", "muse-sinus.xml");
        Assert.Equal(EcgFileFormat.Xml, EcgReader.Detect(xml).Format);
        var r = EcgReader.Read(xml);
        Assert.Equal(500, r.SamplingRate);
        Assert.True(EcgLeadLayout.IsCanonical12(r));
    }

    [Fact]
    public void Read_SameEcgAsWfdbAndCinc_SameSamples()
    {
        // The WFDB record and its path without extension, through the entry point, give the WfdbReader's result.
        var a = EcgReader.Read(Sample("test01_00s.hea"));
        var b = EcgReader.Read(Sample("test01_00s.dat"));
        Assert.Equal(a.Channels[3].Digital, b.Channels[3].Digital);
    }

    [Fact]
    public void Read_UnknownBinary_ThrowsUnrecognised()
    {
        string path = Path.Combine(Path.GetTempPath(), $"ecgclip-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(path, [0x00, 0x01, 0xFF, 0x42, 0x13]);
        try
        {
            var ex = Assert.Throws<EcgFormatException>(() => EcgReader.Read(path));
            Assert.Contains("unrecognised", ex.Reason);
            Assert.Equal(path, ex.Path);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Read_MissingFileOrDirectory_ThrowsEcgFormatException()
    {
        Assert.Throws<EcgFormatException>(() => EcgReader.Read("/nonexistent/dir/record.hea"));
        Assert.Throws<EcgFormatException>(() => EcgReader.Read("/nonexistent/dir/record"));
        Assert.Throws<EcgFormatException>(() => EcgReader.Read(Path.GetTempPath()));
    }

    [Fact]
    public void Read_WfdbHeaderUnderOtherExtension_SniffedFromContent()
    {
        string dir = Directory.CreateTempSubdirectory("ecgclip-detect-").FullName;
        try
        {
            File.Copy(Sample("test01_00s.dat"), Path.Combine(dir, "test01_00s.dat"));
            File.Copy(Sample("test01_00s.hea"), Path.Combine(dir, "header.txt"));
            Assert.Equal(EcgFileFormat.Wfdb, EcgReader.Detect(Path.Combine(dir, "header.txt")).Format);
            Assert.Equal(4, EcgReader.Read(Path.Combine(dir, "header.txt")).Channels.Count);
        }
        finally { Directory.Delete(dir, true); }
    }
}
