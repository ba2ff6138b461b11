using System.Text.Json;
using EcgClip.Testing;
using static TorchSharp.torch;

namespace EcgClip.Text.Tests.Encoders;

/// <summary>The numpy-generated tiny BERT under Fixtures/TinyBert (see make_tiny_bert.py there).</summary>
internal static class TinyBertFixture
{
    public static string Directory => TestPaths.Repo("tests", "EcgClip.Text.Tests", "Fixtures", "TinyBert");

    public static string File(string name) => Path.Combine(Directory, name);

    public static JsonElement Expected { get; } = JsonDocument.Parse(System.IO.File.ReadAllText(File("expected.json"))).RootElement;

    public static long[,] Ints(string name)
    {
        var rows = Expected.GetProperty(name).EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray();
        var result = new long[rows.Length, rows[0].Length];
        for (int i = 0; i < rows.Length; i++) for (int j = 0; j < rows[0].Length; j++) result[i, j] = rows[i][j];
        return result;
    }

    public static double[] Flat(string name)
    {
        var list = new List<double>();
        void Walk(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Array) foreach (var x in e.EnumerateArray()) Walk(x);
            else list.Add(e.GetDouble());
        }
        Walk(Expected.GetProperty(name));
        return list.ToArray();
    }

    public static (Tensor Ids, Tensor Mask) Inputs() => (tensor(Ints("input_ids")), tensor(Ints("attention_mask")));

    public static double MaxAbsDiff(Tensor actual, double[] expected)
    {
        var values = actual.contiguous().to_type(ScalarType.Float64).data<double>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        double max = 0;
        for (int i = 0; i < values.Length; i++) max = Math.Max(max, Math.Abs(values[i] - expected[i]));
        return max;
    }
}
