using System.Text.Json;
using EcgClip.Testing;

namespace EcgClip.Cli.Tests.Predict;

/// <summary>
/// pretrain (tiny) → train-heads → predict / explain / embed, through the CLI: named finite outputs for several file
/// formats, a bad file reported without stopping the others, PNGs written headless, clear exit-2 errors.
/// </summary>
public sealed class ModelFolderCommandsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ecgclip-modelfolder-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void PretrainTrainHeadsPredictExplainEmbed_EndToEnd()
    {
        string run = Path.Combine(_root, "pt"), model = Path.Combine(_root, "model");
        var (exit, _, stderr) = CliProcess.Run(TimeSpan.FromSeconds(300), "pretrain", "--limit", "48", "--steps", "2", "--batch-size", "16", "--out", run, "--json");
        Assert.True(exit == 0, $"pretrain exit {exit}: {stderr}");

        (exit, var stdout, stderr) = CliProcess.Run(TimeSpan.FromSeconds(300), "train-heads", "--checkpoint", run, "--task", "superdiagnostic,age", "--limit", "48", "--out", model, "--json");
        Assert.True(exit == 0, $"train-heads exit {exit}: {stderr}");
        var heads = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement.GetProperty("heads");
        Assert.Equal(["superdiagnostic", "age"], heads.EnumerateArray().Select(h => h.GetProperty("task").GetString()));
        Assert.All(heads.EnumerateArray(), h => Assert.Equal("1se", h.GetProperty("selection").GetString())); // the default for deployed heads
        (exit, _, stderr) = CliProcess.Run(TimeSpan.FromSeconds(60), "train-heads", "--checkpoint", run, "--selection", "median", "--out", model + "-x");
        Assert.Equal(2, exit);
        Assert.Contains("--selection must be 1se or best", stderr);
        Assert.True(File.Exists(Path.Combine(model, "heads", "heads.json")));
        Assert.False(File.Exists(Path.Combine(model, "optimizer.bin")), "the model folder carries no optimiser state");

        string bad = Path.Combine(_root, "broken.xml");
        File.WriteAllText(bad, "<RestingECG><nothing/></RestingECG>");
        string[] files =
        [
            TestPaths.PtbXl("records100", "00000", "00001_lr.hea"),
            TestPaths.Fixture("philips_xml_sierraecg", "fixtures", "deid_3.xml"),
            bad,
            TestPaths.Fixture("ecgtoolkit_examples", "Example.xml"),
        ];
        (exit, stdout, stderr) = CliProcess.Run(TimeSpan.FromSeconds(120), ["predict", .. files, "--model", model, "--json"]);
        Assert.Equal(2, exit); // one bad file → exit 2, the others still scored
        var lines = stdout.Trim().Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(files.Length, lines.Count);
        Assert.True(lines[2].TryGetProperty("error", out var error) && error.GetString()!.Length > 0);
        foreach (int i in new[] { 0, 1, 3 })
        {
            Assert.False(lines[i].TryGetProperty("error", out _), $"{files[i]}: {lines[i]}");
            var tasks = lines[i].GetProperty("tasks");
            var super = tasks.GetProperty("superdiagnostic").GetProperty("outputs");
            Assert.Equal(["CD", "HYP", "MI", "NORM", "STTC"], super.EnumerateObject().Select(o => o.Name).Order());
            Assert.All(super.EnumerateObject(), o => Assert.InRange(o.Value.GetDouble(), 0, 1));
            Assert.True(double.IsFinite(tasks.GetProperty("age").GetProperty("outputs").GetProperty("age").GetDouble()));
        }

        string png = Path.Combine(_root, "explain.png");
        (exit, stdout, stderr) = CliProcess.Run(TimeSpan.FromSeconds(180), "explain", files[0], "--model", model, "--task", "superdiagnostic", "--method", "ig", "--steps", "16", "--out", png, "--json");
        Assert.True(exit == 0, $"explain exit {exit}: {stderr}");
        Assert.True(new FileInfo(png).Length > 20_000);
        var share = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement.GetProperty("lead_share");
        Assert.Equal(12, share.EnumerateObject().Count());
        Assert.Equal(1.0, share.EnumerateObject().Sum(p => p.Value.GetDouble()), 2);

        string npy = Path.Combine(_root, "emb.npy"), map = Path.Combine(_root, "map.png");
        (exit, _, stderr) = CliProcess.Run(TimeSpan.FromSeconds(180), "embed", "--model", model, "--split", "test", "--limit", "40", "--out", npy, "--plot", map, "--json");
        Assert.True(exit == 0, $"embed exit {exit}: {stderr}");
        var emb = EcgClip.Signal.Formats.Npy.NpyReader.Read(npy);
        Assert.Equal([40, 256], emb.Shape);
        Assert.True(new FileInfo(map).Length > 10_000);
        Assert.Equal(41, File.ReadAllLines(Path.ChangeExtension(npy, ".items.csv")).Length);

        (exit, _, stderr) = CliProcess.Run("explain", files[0], "--model", model, "--task", "lvef", "--out", png);
        Assert.Equal(2, exit);
        Assert.Contains("superdiagnostic, age", stderr);
        (exit, _, stderr) = CliProcess.Run("predict", files[0], "--model", run + "-missing");
        Assert.Equal(2, exit);
        Assert.Contains("not found", stderr);
        (exit, _, stderr) = CliProcess.Run("predict", files[0], "--model", run); // a run folder has no heads
        Assert.Equal(2, exit);
        Assert.Contains("train-heads", stderr);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
