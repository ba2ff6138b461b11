using System.Text.Json;
using EcgClip.Testing;

namespace EcgClip.Eval.Tests.Fixtures;

/// <summary>Reads probe_oracle.json, written by scripts/oracles/eval_probe_oracle.py from scikit-learn 1.2.</summary>
internal static class ProbeOracle
{
    private static readonly Lazy<JsonElement> s_root = new(() =>
        JsonDocument.Parse(File.ReadAllText(TestPaths.Repo("tests", "EcgClip.Eval.Tests", "Fixtures", "probe_oracle.json"))).RootElement);

    public static JsonElement Root => s_root.Value;

    public static float[] Floats(this JsonElement e, string name) =>
        e.GetProperty(name).EnumerateArray().Select(x => (float)x.GetDouble()).ToArray();

    public static int Int(this JsonElement e, string name) => e.GetProperty(name).GetInt32();
}
