using System.Text;
using EcgClip.Signal.Formats.Xml;

namespace EcgClip.Signal.Tests.Formats.Xml;

/// <summary>Documents in encodings .NET does not ship by default, and the encodings of the shared fixtures.</summary>
public sealed class XmlEncodingTests
{
    [Fact]
    public void Read_Windows1252Declaration_DecodesSmartQuotes()
    {
        string xml = XmlTestDocuments.Muse()
            .Replace("encoding=\"ISO-8859-1\"", "encoding=\"windows-1252\"")
            .Replace("<StmtText>Sinus rhythm</StmtText>", "<StmtText>\u201CSinus\u201D rhythm \u20AC</StmtText>");
        byte[] bytes = CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetBytes(xml);
        Assert.Contains((byte)0x93, bytes); // really encoded as windows-1252, not UTF-8

        var record = XmlEcgReader.Read(new MemoryStream(bytes), "cp1252.xml");

        Assert.Equal("\u201CSinus\u201D rhythm \u20AC", record.Statements[0]);
    }

    [Fact]
    public void Read_Utf16WithBom_Reads()
    {
        byte[] bytes = [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(XmlTestDocuments.Aecg().Replace("utf-8", "utf-16"))];

        var record = XmlEcgReader.Read(new MemoryStream(bytes), "utf16.xml");

        Assert.Equal(12, record.Channels.Count);
    }

    [Fact]
    public void Read_UnknownEncodingName_ThrowsFormatException()
    {
        byte[] bytes = Encoding.ASCII.GetBytes(XmlTestDocuments.Aecg().Replace("utf-8", "x-no-such-charset"));

        var e = Assert.Throws<EcgClip.Signal.Records.EcgFormatException>(() => XmlEcgReader.Read(new MemoryStream(bytes), "bad-enc.xml"));
        Assert.Equal("bad-enc.xml", e.Path);
    }
}
