using System.Globalization;
using EcgClip.Signal.Datasets;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcgClip.Signal.Tests.Datasets;

public class PythonDictLiteralTests
{
    [Fact]
    public void Parse_PtbXlScpCodes_ReturnsCodesAndLikelihoods()
    {
        var d = PythonDictLiteral.Parse("{'NORM': 100.0, 'LVOLT': 0.0, 'SR': 0.0}");
        Assert.Equal(3, d.Count);
        Assert.Equal(100.0, d["NORM"]);
        Assert.Equal(0.0, d["SR"]);
    }

    [Theory]
    [InlineData("{}", 0)]
    [InlineData("  { }  ", 0)]
    [InlineData("{\"A\":1,'B' : -2.5e1 ,}", 2)]
    [InlineData("{'PRC(S)': 0.0, 'LAO/LAE': 50}", 2)]
    [InlineData("{'a\\'b': nan}", 1)]
    public void Parse_ValidVariants_ReturnsEntries(string text, int count) =>
        Assert.Equal(count, PythonDictLiteral.Parse(text).Count);

    [Theory]
    [InlineData("")]
    [InlineData("{'NORM': }")]
    [InlineData("{'NORM' 100}")]
    [InlineData("{NORM: 100}")]
    [InlineData("{'NORM': 100")]
    [InlineData("{'NORM': 100} x")]
    [InlineData("{'NORM': abc}")]
    public void Parse_Malformed_ThrowsFormatException(string text) =>
        Assert.Throws<FormatException>(() => PythonDictLiteral.Parse(text));

    [Property(MaxTest = 200)]
    public Property Parse_PythonReprOfRandomDict_RoundTrips()
    {
        var key = Gen.Elements("NORM", "SR", "PRC(S)", "LAO/LAE", "NST_", "a'b", "x\"y", "1AVB");
        var value = Gen.Choose(-100000, 100000).Select(v => v / 10.0);
        var entries = Gen.ListOf(Gen.Zip(key, value));
        return Prop.ForAll(entries.ToArbitrary(), list =>
        {
            var expected = new Dictionary<string, double>();
            foreach (var (k, v) in list) expected[k] = v;
            // Python repr: single quotes unless the key has one; then double quotes.
            string Repr(string k) => k.Contains('\'') ? "\"" + k + "\"" : "'" + k + "'";
            string text = "{" + string.Join(", ", expected.Select(kv => $"{Repr(kv.Key)}: {kv.Value.ToString("R", CultureInfo.InvariantCulture)}")) + "}";
            var parsed = PythonDictLiteral.Parse(text);
            return parsed.Count == expected.Count && expected.All(kv => parsed[kv.Key] == kv.Value);
        });
    }
}
