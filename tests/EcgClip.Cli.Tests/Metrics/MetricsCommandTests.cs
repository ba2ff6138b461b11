using System.Text.Json;

namespace EcgClip.Cli.Tests.Metrics;

public sealed class MetricsCommandTests
{
    private static readonly JsonElement s_expected =
        JsonDocument.Parse(File.ReadAllText(MetricsFixtures.Path("expected.json"))).RootElement;

    private static JsonElement Json(string stdout) => JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement;

    [Fact]
    public void Metrics_Fixture_MatchesSklearnWithin1e9()
    {
        var (code, stdout, stderr) = CliProcess.Run("metrics", "--labels", MetricsFixtures.Path("y.npy"), "--scores", MetricsFixtures.Path("s.npy"),
            "--bootstrap", "200", "--seed", "5", "--names", MetricsFixtures.Path("names.txt"), "--json");
        Assert.True(code == 0, stderr);
        var root = Json(stdout);
        var tasks = root.GetProperty("tasks").EnumerateArray().ToArray();
        var expected = s_expected.GetProperty("tasks").EnumerateArray().ToArray();
        Assert.Equal(expected.Length, tasks.Length);
        for (int t = 0; t < tasks.Length; t++)
        {
            Assert.Equal($"dx_{t}", tasks[t].GetProperty("name").GetString());
            Assert.Equal(expected[t].GetProperty("n_pos").GetInt32(), tasks[t].GetProperty("n_pos").GetInt32());
            Assert.Equal(expected[t].GetProperty("prauc").GetDouble(), tasks[t].GetProperty("prauc").GetDouble(), 1e-9);
            if (expected[t].GetProperty("auroc").ValueKind == JsonValueKind.Null)
            {
                Assert.Equal(JsonValueKind.Null, tasks[t].GetProperty("auroc").ValueKind);
                Assert.Equal(JsonValueKind.Null, tasks[t].GetProperty("auroc_ci").ValueKind);
                continue;
            }
            Assert.Equal(expected[t].GetProperty("auroc").GetDouble(), tasks[t].GetProperty("auroc").GetDouble(), 1e-9);
            var ci = tasks[t].GetProperty("auroc_ci");
            Assert.InRange(tasks[t].GetProperty("auroc").GetDouble(), ci[0].GetDouble(), ci[1].GetDouble());
        }
        Assert.True(tasks[3].GetProperty("no_positives").GetBoolean());
        Assert.Equal("dx_3", root.GetProperty("skipped_prauc_tasks")[0].GetString());
        Assert.True(root.GetProperty("seconds").GetDouble() >= 0);
        Assert.Equal(JsonValueKind.Array, root.GetProperty("macro_prauc_ci").ValueKind);
    }

    [Fact]
    public void Metrics_OneDimensionalInput_OneTask()
    {
        var (code, stdout, stderr) = CliProcess.Run("metrics", "--labels", MetricsFixtures.Path("y_1d.npy"), "--scores", MetricsFixtures.Path("s_1d.npy"),
            "--bootstrap", "50", "--json");
        Assert.True(code == 0, stderr);
        var tasks = Json(stdout).GetProperty("tasks");
        Assert.Equal(1, tasks.GetArrayLength());
        Assert.Equal(s_expected.GetProperty("tasks")[0].GetProperty("prauc").GetDouble(), tasks[0].GetProperty("prauc").GetDouble(), 1e-9);
    }

    [Fact]
    public void Metrics_WithoutJson_PrintsTable()
    {
        var (code, stdout, _) = CliProcess.Run("metrics", "--labels", MetricsFixtures.Path("y.npy"), "--scores", MetricsFixtures.Path("s.npy"),
            "--bootstrap", "20", "--patients", MetricsFixtures.Path("patients.npy"));
        Assert.Equal(0, code);
        Assert.Contains("macro", stdout);
        Assert.Contains("PRAUC", stdout);
    }

    [Theory]
    [InlineData("y_bad.npy", "s.npy", "0 or 1")]
    [InlineData("y.npy", "s_nan.npy", "finite")]
    [InlineData("y.npy", "s_short.npy", "shape mismatch")]
    [InlineData("y.npy", "missing.npy", "not found")]
    public void Metrics_BadInput_ExitsTwoWithMessage(string labels, string scores, string message)
    {
        var (code, stdout, stderr) = CliProcess.Run("metrics", "--labels", MetricsFixtures.Path(labels), "--scores", MetricsFixtures.Path(scores), "--json");
        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
        Assert.Equal("bad_input", Json(stdout).GetProperty("error").GetString());
    }

    [Fact]
    public void Metrics_EmptyOrThreeDimensional_ExitsTwo()
    {
        string dir = Directory.CreateTempSubdirectory("ecgclip-metrics-").FullName;
        try
        {
            string y = Path.Combine(dir, "y.npy"), s = Path.Combine(dir, "s.npy"), s3 = Path.Combine(dir, "s3.npy");
            EcgClip.Signal.Formats.Npy.NpyWriter.Write(y, Array.Empty<long>(), 0);
            EcgClip.Signal.Formats.Npy.NpyWriter.Write(s, Array.Empty<float>(), 0);
            EcgClip.Signal.Formats.Npy.NpyWriter.Write(s3, new float[8], 2, 2, 2);
            var empty = CliProcess.Run("metrics", "--labels", y, "--scores", s);
            Assert.Equal(2, empty.ExitCode);
            Assert.Contains("empty", empty.StdErr);
            var rank3 = CliProcess.Run("metrics", "--labels", y, "--scores", s3);
            Assert.Equal(2, rank3.ExitCode);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Compare_Fixture_DeLongMatchesNumpyAndShapesChecked()
    {
        var (code, stdout, stderr) = CliProcess.Run("compare", "--labels", MetricsFixtures.Path("y.npy"), "--scores-a", MetricsFixtures.Path("s.npy"),
            "--scores-b", MetricsFixtures.Path("s_b.npy"), "--bootstrap", "100", "--json");
        Assert.True(code == 0, stderr);
        var root = Json(stdout);
        var tasks = root.GetProperty("tasks").EnumerateArray().ToArray();
        var delong = s_expected.GetProperty("delong").EnumerateArray().ToArray();
        for (int t = 0; t < tasks.Length; t++)
        {
            if (delong[t].ValueKind == JsonValueKind.Null) continue;
            Assert.Equal(delong[t].GetProperty("p_value").GetDouble(), tasks[t].GetProperty("delong_p").GetDouble(), 1e-9);
            Assert.Equal(delong[t].GetProperty("auc_a").GetDouble() - delong[t].GetProperty("auc_b").GetDouble(),
                tasks[t].GetProperty("auroc").GetProperty("diff").GetDouble(), 1e-9);
        }
        Assert.Equal(JsonValueKind.Number, root.GetProperty("macro_prauc").GetProperty("p_value").ValueKind);

        var bad = CliProcess.Run("compare", "--labels", MetricsFixtures.Path("y.npy"), "--scores-a", MetricsFixtures.Path("s.npy"),
            "--scores-b", MetricsFixtures.Path("s_short.npy"));
        Assert.Equal(2, bad.ExitCode);
    }
}
