using System.Text;
using EcgClip.Text.Data;

namespace EcgClip.Text.Tests.Tokenization;

public sealed class ReportSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ecgclip-text-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Read_QuotedCsvFields_KeepsCommasQuotesAndNewlines()
    {
        string path = Path.Combine(_dir, "r.csv");
        File.WriteAllText(path, "id,report,strat_fold\r\n1,\"a, b\",1\n2,\"line1\nline2 \"\"q\"\"\",9\n3,plain,10\n");
        Assert.Equal(["a, b", "line1\nline2 \"q\"", "plain"], ReportSource.Read(path));
        Assert.Equal(["line1\nline2 \"q\"", "plain"], ReportSource.Read(path, folds: ReportSource.ParseFolds("9-10")));
    }

    [Fact]
    public void Read_MissingColumn_ThrowsListingColumns()
    {
        string path = Path.Combine(_dir, "r.csv");
        File.WriteAllText(path, "id,text\n1,x\n");
        var ex = Assert.Throws<InvalidDataException>(() => ReportSource.Read(path));
        Assert.Contains("id, text", ex.Message);
    }

    [Fact]
    public void Read_InvalidUtf8_DecodesToReplacementCharacter()
    {
        string path = Path.Combine(_dir, "r.txt");
        File.WriteAllBytes(path, [.. Encoding.ASCII.GetBytes("sinus "), 0xC3, 0x28, 0xFF, .. Encoding.ASCII.GetBytes(" rhythm\n")]);
        var reports = ReportSource.Read(path);
        Assert.Single(reports);
        Assert.Contains('\uFFFD', reports[0]);
    }

    [Theory]
    [InlineData("1-8", new[] { 1, 2, 3, 4, 5, 6, 7, 8 })]
    [InlineData("9,10", new[] { 9, 10 })]
    [InlineData("1-2, 5", new[] { 1, 2, 5 })]
    public void ParseFolds_ValidList_ReturnsSet(string text, int[] expected) =>
        Assert.Equal(expected, ReportSource.ParseFolds(text).Order());

    [Theory]
    [InlineData("x")]
    [InlineData("8-1")]
    [InlineData("")]
    public void ParseFolds_Invalid_ThrowsFormatException(string text) =>
        Assert.Throws<FormatException>(() => ReportSource.ParseFolds(text));
}
