using System.Text.Json;
using EcgClip.Cli.Infrastructure;
using EcgClip.Core.Native;
using EcgClip.Text.Tests.Training;

namespace EcgClip.Cli.Tests.Pretrain;

/// <summary><c>pretrain --text-tower bert:&lt;dir&gt;</c> on the embedded data with a tiny random BERT.</summary>
public sealed class PretrainBertTowerTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ecgclip-pretrain-bert-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void Pretrain_with_a_frozen_bert_tower_runs_two_steps_and_writes_a_standalone_checkpoint()
    {
        TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
        string bert = TinyBertDirectory.Write(Path.Combine(_root, "bert"));
        string run = Path.Combine(_root, "run");
        var (code, stdout, stderr) = CliProcess.Run(TimeSpan.FromMinutes(6), "pretrain", "--text-tower", "bert:" + bert, "--limit", "24", "--steps", "2",
            "--batch-size", "8", "--threads", "1", "--out", run, "--json");
        Assert.True(code == 0, stderr);
        var root = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(2, root.GetProperty("steps").GetInt32());
        Assert.Equal("bert", root.GetProperty("text_tower").GetString());
        Assert.Equal(2, root.GetProperty("text_frozen_layers").GetInt32());
        Assert.True(double.IsFinite(root.GetProperty("loss_first").GetDouble()) && double.IsFinite(root.GetProperty("loss_last").GetDouble()));
        long encoded = root.GetProperty("text_cache_rows_encoded").GetInt64();
        long hits = root.GetProperty("text_cache_hits").GetInt64();
        Assert.InRange(encoded, 1, 24 * 3); // at most every train/val/test report once
        Assert.True(hits + root.GetProperty("text_cache_misses").GetInt64() >= 16, "the 2 training batches go through the cache");
        string last = root.GetProperty("last_checkpoint").GetString()!;
        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.txt", "tokenizer.json", "bert_config.json" })
            Assert.True(File.Exists(Path.Combine(last, file)), file);
    }

    [Theory]
    [InlineData("--text-tower", "bert:/nonexistent/bert")]
    [InlineData("--text-tower", "gpt")]
    [InlineData("--freeze-text-layers", "2")]
    [InlineData("--text-pooling", "max")]
    public void Bad_text_tower_options_exit_2(string option, string value)
    {
        var (code, _, stderr) = CliProcess.Run("pretrain", option, value, "--limit", "24", "--steps", "1", "--batch-size", "8", "--out", Path.Combine(_root, "run"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(option == "--text-tower" && value.StartsWith("bert:", StringComparison.Ordinal) ? "/nonexistent/bert" : option, stderr);
    }
}
