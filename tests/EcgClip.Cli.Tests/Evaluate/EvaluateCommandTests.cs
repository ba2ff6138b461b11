using System.Text.Json;
using EcgClip.Eval.Metrics;
using EcgClip.Signal.Formats.Npy;

namespace EcgClip.Cli.Tests.Evaluate;

public sealed class EvaluateCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ecgclip-evaluate-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    [Fact]
    public void Evaluate_RandomInitLinearProbeOnEmbeddedSubset_WritesReportsScoresAndPlot()
    {
        var (exit, stdout, stderr) = CliProcess.Run(TimeSpan.FromSeconds(300), "evaluate", "--checkpoint", "none", "--task", "superdiagnostic",
            "--protocol", "linear-probe", "--fractions", "1", "--seeds", "1", "--limit", "120", "--bootstrap", "100", "--threads", "2",
            "--out", _dir, "--json");
        Assert.True(exit == 0, $"exit {exit}: {stderr}");

        foreach (var f in new[] { "results.json", "results.csv", "results.md" }) Assert.True(File.Exists(Path.Combine(_dir, f)), f);
        var png = Directory.GetFiles(_dir, "*.png");
        Assert.NotEmpty(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png[0]).Take(4).ToArray());

        string run = Path.Combine(_dir, "random", "fraction_1", "seed_0");
        var labels = NpyReader.Read(Path.Combine(run, "test_labels.npy"));
        var scores = NpyReader.Read(Path.Combine(run, "test_scores.npy"));
        var names = File.ReadAllLines(Path.Combine(run, "tasks.txt")).Where(l => l.Length > 0).ToArray();
        Assert.Equal(new[] { "CD", "HYP", "MI", "NORM", "STTC" }, names);
        Assert.Equal(new[] { 120, 5 }, labels.Shape);
        Assert.Equal(labels.Shape, scores.Shape);
        var y = labels.ToDoubleArray();
        var s = scores.ToDoubleArray();

        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "results.json")));
        var tasks = results.RootElement.GetProperty("models")[0].GetProperty("fractions")[0].GetProperty("runs")[0].GetProperty("tasks");
        Assert.Equal(names.Length, tasks.GetArrayLength());
        for (int t = 0; t < names.Length; t++)
        {
            var column = Enumerable.Range(0, 120).Select(i => s[i * names.Length + t]).ToArray();
            var truth = Enumerable.Range(0, 120).Select(i => y[i * names.Length + t] == 1).ToArray();
            Assert.Contains(true, truth);
            Assert.Equal(names[t], tasks[t].GetProperty("name").GetString());
            Assert.Equal(RankingMetrics.AveragePrecision(column, truth), tasks[t].GetProperty("prauc").GetDouble(), 12);
        }

        using var line = JsonDocument.Parse(stdout.Trim().Split('\n').Last());
        var root = line.RootElement;
        Assert.Equal("random", root.GetProperty("model").GetString());
        Assert.Equal(5, root.GetProperty("tasks").GetArrayLength());
        Assert.Equal(2, root.GetProperty("macro_prauc_ci").GetArrayLength());
        Assert.Equal(results.RootElement.GetProperty("models")[0].GetProperty("fractions")[0].GetProperty("runs")[0].GetProperty("macro_prauc").GetDouble(),
            root.GetProperty("macro_prauc").GetDouble());
        Assert.True(root.TryGetProperty("macro_auroc", out _));
    }

    [Fact]
    public void Evaluate_Age_JsonHasMaeIntervalAndTrainingMeanBaseline()
    {
        var (exit, stdout, stderr) = CliProcess.Run(TimeSpan.FromSeconds(300), "evaluate", "--checkpoint", "none", "--task", "age",
            "--fractions", "1", "--seeds", "1", "--limit", "60", "--bootstrap", "100", "--out", _dir, "--json");
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        using var line = JsonDocument.Parse(stdout.Trim().Split('\n').Last());
        var age = line.RootElement.GetProperty("targets")[0];
        Assert.Equal("age", age.GetProperty("name").GetString());
        double mae = age.GetProperty("mae").GetDouble();
        var ci = age.GetProperty("mae_ci");
        Assert.InRange(mae, ci[0].GetDouble(), ci[1].GetDouble());
        Assert.True(age.GetProperty("baseline_mae").GetDouble() > 0);
        Assert.Equal(2, age.GetProperty("baseline_mae_ci").GetArrayLength());
    }

    [Theory]
    [InlineData("--fractions", "0,1", "--fractions")]
    [InlineData("--protocol", "knn", "--protocol")]
    [InlineData("--task", "lvef", "lvef")]
    [InlineData("--data", "ptbxl:/nonexistent/ptbxl", "/nonexistent/ptbxl")]
    [InlineData("--backbone", "vit", "vit")]
    [InlineData("--checkpoint", "/nonexistent/ckpt", "/nonexistent/ckpt")]
    [InlineData("--baseline", "none", "same model twice")]
    public void Evaluate_BadInput_Exit2NamingTheOption(string option, string value, string named)
    {
        var args = new List<string> { "evaluate", "--checkpoint", "none", "--out", _dir, "--limit", "10" };
        int at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value; else args.AddRange([option, value]);
        var (exit, _, stderr) = CliProcess.Run(args.ToArray());
        Assert.Equal(2, exit);
        Assert.Contains(named, stderr);
    }

    [Fact]
    public void Evaluate_FolderWithoutCheckpoint_Exit2NamingIt()
    {
        Directory.CreateDirectory(_dir);
        var (exit, stdout, stderr) = CliProcess.Run("evaluate", "--checkpoint", _dir, "--out", Path.Combine(_dir, "out"), "--json");
        Assert.Equal(2, exit);
        Assert.Contains(_dir, stderr);
        Assert.Contains("\"error\":\"bad_input\"", stdout);
    }
}
