using System.Diagnostics;
using System.Text;
using EcgClip.Signal.Formats.Xml;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Tests.Formats.Xml;

/// <summary>Hostile XML (entity bombs, external entities, external DTDs, oversized declarations) is refused fast and typed.</summary>
public sealed class XmlSecurityTests
{
    private static EcgFormatException Refuse(string xml, string name = "hostile.xml")
    {
        var sw = Stopwatch.StartNew();
        var e = Assert.Throws<EcgFormatException>(() => XmlEcgReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml)), name));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");
        Assert.Equal(name, e.Path);
        Assert.DoesNotContain(XmlEcgReader.UnexpectedPrefix, e.Reason);
        return e;
    }

    [Theory]
    [InlineData("RestingECG")]
    [InlineData("restingecgdata")]
    public void Read_BillionLaughs_RefusedWithoutExpansion(string root)
    {
        var sb = new StringBuilder($"<?xml version=\"1.0\"?>\n<!DOCTYPE {root} [\n <!ENTITY lol \"lol\">\n");
        for (int i = 1; i <= 9; i++)
            sb.Append($" <!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat(i == 1 ? "&lol;" : $"&lol{i - 1};", 10))}\">\n");
        sb.Append($"]>\n<{root}>&lol9;</{root}>");

        var e = Refuse(sb.ToString());
        Assert.Contains("DOCTYPE", e.Reason);
    }

    [Fact]
    public void Read_QuadraticBlowup_Refused()
    {
        string big = new('x', 50_000);
        string body = string.Concat(Enumerable.Repeat("&a;", 50_000));
        Refuse($"<!DOCTYPE RestingECG [<!ENTITY a \"{big}\">]><RestingECG>{body}</RestingECG>");
    }

    [Theory]
    [InlineData("<!DOCTYPE RestingECG [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><RestingECG><PatientDemographics><PatientID>&xxe;</PatientID></PatientDemographics></RestingECG>")]
    [InlineData("<!DOCTYPE restingecgdata [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><restingecgdata/>")]
    [InlineData("<!DOCTYPE AnnotatedECG [<!ENTITY xxe SYSTEM \"http://127.0.0.1:1/x\">]><AnnotatedECG xmlns=\"urn:hl7-org:v3\">&xxe;</AnnotatedECG>")]
    public void Read_ExternalEntity_Refused(string xml)
    {
        var e = Refuse(xml);
        Assert.DoesNotContain("root:", e.Message); // nothing from /etc/passwd leaks into the message
    }

    [Theory]
    [InlineData("<!DOCTYPE RestingECG SYSTEM \"file:///etc/passwd\"><RestingECG/>")]
    [InlineData("<!DOCTYPE RestingECG SYSTEM \"http://127.0.0.1:1/restecg.dtd\"><RestingECG/>")]
    [InlineData("<!DOCTYPE RestingECG SYSTEM \"../../etc/passwd\"><RestingECG/>")]
    [InlineData("<!DOCTYPE RestingECG PUBLIC \"-//X//DTD X//EN\" \"restecg.dtd\"><RestingECG/>")]
    public void Read_ExternalDoctype_RefusedNamingIt(string xml)
    {
        var e = Refuse(xml);
        Assert.Contains("DOCTYPE", e.Reason);
    }

    [Fact]
    public void Read_UndeclaredEntityWithoutDtd_Refused()
        => Refuse("<RestingECG><PatientDemographics><PatientID>&xxe;</PatientID></PatientDemographics></RestingECG>");

    [Fact]
    public void Read_LocalDtdNameOnly_IsToleratedAndNeverLoaded()
    {
        // muse exports carry <!DOCTYPE RestingECG SYSTEM "restecg.dtd">; the seed has it too and no such file exists.
        var record = XmlEcgReader.Read(new MemoryStream(Encoding.Latin1.GetBytes(XmlTestDocuments.Muse())), "seed.xml");
        Assert.Equal(12, record.Channels.Count);
    }

    [Theory]
    [InlineData("<ecg/>", "unsupported XML ECG dialect")]
    [InlineData("<AnnotatedECG/>", "unsupported XML ECG dialect")] // right name, wrong (no) namespace
    [InlineData("", "Root element is missing")]
    [InlineData("<RestingECG>", "malformed")]
    [InlineData("<RestingECG></RestingECG><x/>", "malformed")]
    [InlineData("<RestingECG></RestingECG>", "Rhythm")]
    public void Read_BadDocuments_ThrowWithReason(string xml, string reasonPart)
    {
        var e = Refuse(xml);
        Assert.Contains(reasonPart, e.Reason);
    }

    [Fact]
    public void Read_MuseDeclaringHugeSampleCount_RefusedAsTruncated()
    {
        string xml = XmlTestDocuments.Muse().Replace("<LeadSampleCountTotal>16</LeadSampleCountTotal>", "<LeadSampleCountTotal>4000000</LeadSampleCountTotal>");
        var e = Refuse(xml);
        Assert.Contains("truncated", e.Reason);
    }

    [Fact]
    public void Read_PhilipsDeclaringHugeDuration_RefusedWithoutHugeAllocation()
    {
        string xml = XmlTestDocuments.Philips().Replace("durationperchannel=\"32\"", "durationperchannel=\"8000000\"");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Refuse(xml);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20, "allocated more than 16 MiB");
        Assert.Contains("samples", e.Reason);
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFound()
        => Assert.Throws<FileNotFoundException>(() => XmlEcgReader.Read(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".xml")));
}

/// <summary>Pathological but well-formed structure: very deep nesting must not overflow the stack.</summary>
public sealed class XmlDeepNestingTests
{
    [Theory]
    [InlineData("RestingECG", "Waveform")]
    [InlineData("restingecgdata", "waveforms")]
    [InlineData("AnnotatedECG xmlns=\"urn:hl7-org:v3\"", "component")]
    public void Read_DeeplyNestedDocument_RefusedWithoutStackOverflow(string root, string inner)
    {
        const int depth = 200_000;
        var sb = new System.Text.StringBuilder();
        sb.Append('<').Append(root).Append('>');
        for (int i = 0; i < depth; i++) sb.Append('<').Append(inner).Append('>');
        for (int i = 0; i < depth; i++) sb.Append("</").Append(inner).Append('>');
        sb.Append("</").Append(root.Split(' ')[0]).Append('>');
        var bytes = System.Text.Encoding.UTF8.GetBytes(sb.ToString());

        var sw = Stopwatch.StartNew();
        var e = Assert.Throws<EcgFormatException>(() => XmlEcgReader.Read(new MemoryStream(bytes), "deep.xml"));
        Assert.Contains("nested deeper", e.Reason);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}"); // XNode.ReadFrom would take minutes
    }
}
