using System.Text.Json;
using EcgClip.Signal.Formats.Npy;
using EcgClip.Testing;

namespace EcgClip.Signal.Tests.Dsp;

/// <summary>scipy 1.10 oracles written by Fixtures/generate.py.</summary>
internal static class DspFixtures
{
    private static readonly Lazy<JsonDocument> s_design = new(() => JsonDocument.Parse(File.ReadAllText(Path("design.json"))));

    public static string Path(string name) => TestPaths.Repo("tests", "EcgClip.Signal.Tests", "Dsp", "Fixtures", name);

    public static NpyArray Load(string name) => NpyReader.Read(Path(name));

    public static JsonElement Design => s_design.Value.RootElement;

    public static double[] Doubles(this JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static double MaxAbsDiff(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        Assert.Equal(a.Length, b.Length);
        double m = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = Math.Abs(a[i] - b[i]);
            if (!(d <= m)) m = double.IsNaN(d) ? double.PositiveInfinity : d;
        }
        return m;
    }

    public static double MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<double> b)
    {
        Assert.Equal(a.Length, b.Length);
        double m = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = Math.Abs(a[i] - b[i]);
            if (!(d <= m)) m = double.IsNaN(d) ? double.PositiveInfinity : d;
        }
        return m;
    }
}
