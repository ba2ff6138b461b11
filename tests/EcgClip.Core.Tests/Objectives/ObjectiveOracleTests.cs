using System.Text.Json;
using EcgClip.Core.Abstractions;
using EcgClip.Core.Native;
using EcgClip.Core.Objectives;
using EcgClip.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Objectives;

/// <summary>
/// Every objective against PyTorch 1.13 (scripts/oracles/objectives.py → Fixtures/objectives.json): loss, terms and
/// gradients w.r.t. both embeddings, the second view and the learnable scale/bias, in float64, within 1e-6.
/// </summary>
public sealed class ObjectiveOracleTests
{
    private const double Tolerance = 1e-6;

    public ObjectiveOracleTests() => TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    private static readonly Lazy<JsonElement> Fixture = new(() =>
        JsonDocument.Parse(File.ReadAllText(TestPaths.Repo("tests", "EcgClip.Core.Tests", "Fixtures", "objectives.json"))).RootElement);

    public static TheoryData<string> CaseIds()
    {
        var data = new TheoryData<string>();
        foreach (var c in Fixture.Value.GetProperty("cases").EnumerateArray()) data.Add(c.GetProperty("id").GetString()!);
        return data;
    }

    [Fact]
    public void Fixture_CoversEveryBuiltInObjective_WithAndWithoutGroups()
    {
        var cases = Fixture.Value.GetProperty("cases").EnumerateArray().ToList();
        foreach (var name in ObjectiveRegistry.CreateBuiltIn().List())
        {
            Assert.Contains(cases, c => c.GetProperty("objective").GetString() == name && c.GetProperty("groups").ValueKind == JsonValueKind.Null);
            Assert.Contains(cases, c => c.GetProperty("objective").GetString() == name && c.GetProperty("groups").ValueKind == JsonValueKind.Array
                                        && c.GetProperty("groups").EnumerateArray().Select(g => g.GetInt64()).Distinct().Count() < c.GetProperty("groups").GetArrayLength());
        }
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Compute_FixtureCase_MatchesTorchLossAndGradients(string id)
    {
        var c = Fixture.Value.GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("id").GetString() == id);
        var options = new ObjectiveOptions { Name = c.GetProperty("objective").GetString()!, SharedPositives = c.GetProperty("sharedPositives").GetBoolean() };
        using var objective = ObjectiveRegistry.CreateBuiltIn().Create(options);
        objective.Module.to(float64);
        using var scope = NewDisposeScope();
        var parameters = objective.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
        {
            if (Number(c, "logitScale") is { } s) parameters["logit_scale"].copy_(tensor(s, float64));
            if (Number(c, "logitBias") is { } b) parameters["logit_bias"].copy_(tensor(b, float64));
        }
        var ecg = Matrix(c.GetProperty("ecg")).requires_grad_();
        var text = Matrix(c.GetProperty("text")).requires_grad_();
        Tensor? view2 = c.GetProperty("view2").ValueKind == JsonValueKind.Array ? Matrix(c.GetProperty("view2")).requires_grad_() : null;
        Tensor? groups = c.GetProperty("groups").ValueKind == JsonValueKind.Array
            ? tensor(c.GetProperty("groups").EnumerateArray().Select(g => g.GetInt64()).ToArray())
            : null;

        var result = objective.Compute(new ContrastiveBatch(ecg, text) { EcgEmbeddingsView2 = view2, TextGroups = groups });
        result.Loss.backward();

        Assert.Equal(ScalarType.Float64, result.Loss.dtype);
        AssertClose(c.GetProperty("loss").GetDouble(), result.Loss.item<double>(), "loss");
        foreach (var term in c.GetProperty("terms").EnumerateObject())
        {
            Assert.False(result.Terms[term.Name].requires_grad, $"term {term.Name} is detached");
            AssertClose(term.Value.GetDouble(), result.Terms[term.Name].item<double>(), term.Name);
        }
        var grad = c.GetProperty("grad");
        AssertClose(Matrix(grad.GetProperty("ecg")), ecg.grad!, "d loss / d ecg");
        AssertClose(Matrix(grad.GetProperty("text")), text.grad!, "d loss / d text");
        if (view2 is not null) AssertClose(Matrix(grad.GetProperty("view2")), view2.grad!, "d loss / d view2");
        if (Number(grad, "logitScale") is { } gs) AssertClose(gs, parameters["logit_scale"].grad!.item<double>(), "d loss / d logit_scale");
        if (Number(grad, "logitBias") is { } gb) AssertClose(gb, parameters["logit_bias"].grad!.item<double>(), "d loss / d logit_bias");
        if (objective.Name == "merl") Assert.Empty(parameters);
    }

    private static double? Number(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Number ? e.GetProperty(name).GetDouble() : null;

    private static Tensor Matrix(JsonElement rows)
    {
        var r = rows.EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var a = new double[r.Length, r[0].Length];
        for (int i = 0; i < r.Length; i++) for (int j = 0; j < r[i].Length; j++) a[i, j] = r[i][j];
        return tensor(a, float64);
    }

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance, $"{what}: torch {expected:R}, EcgClip {actual:R}, |diff| {Math.Abs(expected - actual):E2} > {Tolerance:E0}");

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        double diff = (expected - actual).abs().max().item<double>();
        Assert.True(diff <= Tolerance, $"{what}: max |diff| {diff:E2} > {Tolerance:E0}");
    }
}
