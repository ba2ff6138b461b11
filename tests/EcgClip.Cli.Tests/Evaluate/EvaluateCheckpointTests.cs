using System.Text.Json;

namespace EcgClip.Cli.Tests.Evaluate;

/// <summary><c>evaluate</c> on a real (tiny) <c>pretrain</c> checkpoint: linear probe against random initialisation, zero-shot, retrieval.</summary>
public sealed class EvaluateCheckpointTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ecgclip-evaluate-ckpt-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    private static JsonElement LastJson(string stdout) => JsonDocument.Parse(stdout.Trim().Split('\n').Last()).RootElement.Clone();

    [Fact]
    public void Evaluate_TinyPretrainCheckpoint_LinearProbeZeroShotRetrieval()
    {
        var run = Path.Combine(_dir, "run");
        var (exit, stdout, stderr) = CliProcess.Run(TimeSpan.FromSeconds(300), "pretrain", "--limit", "48", "--steps", "2", "--batch-size", "16", "--out", run, "--json");
        Assert.True(exit == 0, $"pretrain exit {exit}: {stderr}");
        var pretrain = LastJson(stdout);
        string checkpoint = pretrain.GetProperty("best_checkpoint").GetString()!;

        string[] common = ["evaluate", "--checkpoint", checkpoint, "--limit", "48", "--fractions", "1", "--seeds", "1", "--bootstrap", "50", "--json"];
        (exit, stdout, stderr) = CliProcess.Run(TimeSpan.FromSeconds(300), [.. common, "--baseline", "none", "--out", Path.Combine(_dir, "lp")]);
        Assert.True(exit == 0, $"linear probe exit {exit}: {stderr}");
        var lp = LastJson(stdout);
        var comparison = Assert.Single(lp.GetProperty("comparisons").EnumerateArray());
        Assert.Equal("random", comparison.GetProperty("model_b").GetString());
        Assert.Contains(comparison.GetProperty("verdict").GetString(), new[] { "won", "lost", "indistinguishable" });

        (exit, stdout, stderr) = CliProcess.Run(TimeSpan.FromSeconds(300), [.. common, "--protocol", "zero-shot", "--out", Path.Combine(_dir, "zs")]);
        Assert.True(exit == 0, $"zero-shot exit {exit}: {stderr}");
        Assert.Equal(5, LastJson(stdout).GetProperty("tasks").GetArrayLength());

        (exit, stdout, stderr) = CliProcess.Run(TimeSpan.FromSeconds(300), [.. common, "--protocol", "retrieval", "--out", Path.Combine(_dir, "rt")]);
        Assert.True(exit == 0, $"retrieval exit {exit}: {stderr}");
        var r10 = LastJson(stdout).GetProperty("retrieval").GetProperty("ecg_to_text").GetProperty("recall")[2];
        Assert.Equal(10, r10.GetProperty("k").GetInt32());
        // the same checkpoint, the same test records and the same unique-text rule: pretrain's own test R@10
        Assert.Equal(pretrain.GetProperty("test_retrieval_r10").GetDouble(), r10.GetProperty("recall").GetDouble(), 3);
    }
}
