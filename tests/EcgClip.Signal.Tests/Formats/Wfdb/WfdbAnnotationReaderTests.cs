using System.Globalization;
using EcgClip.Signal.Formats.Wfdb;
using EcgClip.Signal.Records;
using EcgClip.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcgClip.Signal.Tests.Formats.Wfdb;

/// <summary>Annotation files reproduce wfdb-python's rdann oracles (tests/target-output/ann-1..3, WFDB C rdann 10.5.24).</summary>
public sealed class WfdbAnnotationReaderTests
{
    [Theory]
    [InlineData("ann-1", "100.atr", 2274)]
    [InlineData("ann-2", "12726.anI", 22)]
    [InlineData("ann-3", "1003.atr", 957)]
    public void Read_RdannOracle_AllFieldsEqual(string oracle, string file, int count)
    {
        var anns = WfdbAnnotationReader.Read(TestPaths.Fixture("wfdb_python_samples", "sample-data", file));
        var lines = File.ReadAllLines(TestPaths.Fixture("wfdb_python_samples", "tests", "target-output", oracle));
        Assert.Equal(count, lines.Length);
        Assert.Equal(lines.Length, anns.Count);
        for (int k = 0; k < lines.Length; k++)
        {
            string line = lines[k];
            int tab = line.IndexOf('\t');
            string? aux = tab >= 0 ? line[(tab + 1)..] : null;
            var tok = (tab >= 0 ? line[..tab] : line).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var a = anns[k];
            string where = $"{oracle} line {k + 1}";
            Assert.True(long.Parse(tok[1], CultureInfo.InvariantCulture) == a.Sample, $"{where}: sample {a.Sample}");
            Assert.True(tok[2] == a.Symbol, $"{where}: symbol '{a.Symbol}'");
            Assert.True(int.Parse(tok[3], CultureInfo.InvariantCulture) == a.Subtype, $"{where}: subtype {a.Subtype}");
            Assert.True(int.Parse(tok[4], CultureInfo.InvariantCulture) == a.Channel, $"{where}: chan {a.Channel}");
            Assert.True(int.Parse(tok[5], CultureInfo.InvariantCulture) == a.Number, $"{where}: num {a.Number}");
            Assert.True(aux == a.Aux, $"{where}: aux '{a.Aux}' expected '{aux}'");
        }
    }

    [Property(MaxTest = 2000)]
    public Property Parse_MutatedOrRandom_OnlyEcgFormatException(byte[] noise, int pos, NonNegativeInt cut)
    {
        byte[] b = File.ReadAllBytes(TestPaths.Fixture("wfdb_python_samples", "sample-data", "12726.anI"));
        if (noise.Length > 0) b = [.. b.AsSpan(0, Math.Abs(pos % b.Length)), .. noise];
        b = b.AsSpan(0, Math.Max(0, b.Length - cut.Get % 16)).ToArray();
        try { WfdbAnnotationReader.Parse(b, "fuzz.atr"); }
        catch (EcgFormatException) { }
        return true.ToProperty();
    }
}
