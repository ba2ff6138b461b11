using System.Text.Json;
using EcgClip.Testing;

namespace EcgClip.Eval.Tests.Fixtures;

/// <summary>Reads metrics_oracle.json, written by make_fixtures.py from scikit-learn 1.2 / scipy / numpy.</summary>
internal static class Oracle
{
    private static readonly Lazy<JsonElement> s_root = new(() =>
        JsonDocument.Parse(File.ReadAllText(TestPaths.Repo("tests", "EcgClip.Eval.Tests", "Fixtures", "metrics_oracle.json"))).RootElement);

    public static JsonElement Root => s_root.Value;

    public static IEnumerable<JsonElement> Cases(string section) => Root.GetProperty(section).EnumerateArray();

    public static double[] Doubles(this JsonElement e, string name) =>
        e.GetProperty(name).EnumerateArray().Select(x => x.GetDouble()).ToArray();

    public static int[] Ints(this JsonElement e, string name) =>
        e.GetProperty(name).EnumerateArray().Select(x => x.GetInt32()).ToArray();

    public static bool[] Bools(this JsonElement e, string name) =>
        e.GetProperty(name).EnumerateArray().Select(x => x.GetInt32() == 1).ToArray();

    public static double? NullableDouble(this JsonElement e, string name) =>
        e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetDouble();
}
