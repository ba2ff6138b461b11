using EcgClip.Testing;
using EcgClip.Signal.Datasets;
using EcgClip.Signal.Records;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcgClip.Signal.Tests.Datasets;

public class CsvTableTests
{
    [Fact]
    public void Parse_QuotedFieldsWithCommasNewlinesAndQuotes_KeepsFieldsWhole()
    {
        var t = CsvTable.Parse("a,b,c\r\n1,\"x, y\",\"line1\nline2\"\n2,\"say \"\"hi\"\"\",\n", "test");
        Assert.Equal(["a", "b", "c"], t.Header);
        Assert.Equal(2, t.Rows.Count);
        Assert.Equal(["1", "x, y", "line1\nline2"], t.Rows[0]);
        Assert.Equal(["2", "say \"hi\"", ""], t.Rows[1]);
    }

    [Fact]
    public void Parse_NoTrailingNewlineAndBom_ReadsLastRecord()
    {
        var t = CsvTable.Parse("\uFEFFid,v\n1,2", "test");
        Assert.Equal("id", t.Header[0]);
        Assert.Equal(["1", "2"], t.Rows[0]);
    }

    [Fact]
    public void Parse_UnterminatedQuote_ThrowsNamingSource()
    {
        var ex = Assert.Throws<EcgFormatException>(() => CsvTable.Parse("a\n\"open", "my.csv"));
        Assert.Equal("my.csv", ex.Path);
        Assert.Contains("quoted", ex.Reason);
    }

    [Fact]
    public void Parse_WrongFieldCount_ThrowsWithRecordNumber()
    {
        var ex = Assert.Throws<EcgFormatException>(() => CsvTable.Parse("a,b\n1,2\n3\n", "my.csv"));
        Assert.Contains("record 3", ex.Reason);
    }

    [Property(MaxTest = 200)]
    public Property Parse_Rfc4180WrittenTable_RoundTrips()
    {
        var field = Gen.ArrayOf(Gen.Elements('a', 'Z', '0', ' ', ',', '"', '\n', '\r', '\'', '{', 'Ä')).Select(c => new string(c));
        var table = Gen.Choose(1, 4).SelectMany(cols => Gen.ArrayOf(Gen.ArrayOf(field, cols)).Select(rows => (cols, rows)));
        return Prop.ForAll(table.ToArbitrary(), t =>
        {
            static string Quote(string f) => "\"" + f.Replace("\"", "\"\"") + "\"";
            var header = Enumerable.Range(0, t.cols).Select(i => "c" + i).ToArray();
            var text = string.Join("\r\n", new[] { header }.Concat(t.rows).Select(r => string.Join(",", r.Select(Quote)))) + "\n";
            var parsed = CsvTable.Parse(text, "gen");
            return parsed.Rows.Count == t.rows.Length && parsed.Rows.Zip(t.rows).All(p => p.First.SequenceEqual(p.Second));
        });
    }

    [Fact]
    public void Load_PtbXlDatabase_HasAllRowsAndReportWithComma()
    {
        var t = CsvTable.Load(TestPaths.PtbXl("ptbxl_database.csv"));
        Assert.Equal(28, t.Header.Count);
        Assert.Equal(1999, t.Rows.Count);
        var row26 = t.Rows.Single(r => r[t.Require("ecg_id")] == "26");
        // Hand-checked against the raw file: the report is quoted and contains "novodigal 0,2 1x1".
        Assert.EndsWith("(novodigal 0,2 1x1)", row26[t.Require("report")]);
        Assert.Equal("{'NST_': 100.0, 'DIG': 100.0, 'SR': 0.0}", row26[t.Require("scp_codes")]);
    }
}
