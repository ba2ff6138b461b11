using System.Text.Json;
using EcgClip.Cli.Infrastructure;

namespace EcgClip.Cli.Tests.Pretrain;

public sealed class PretrainCommandTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "ecgclip-pretrain-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_out)) Directory.Delete(_out, recursive: true);
    }

    [Fact]
    public void Pretrain_on_a_tiny_embedded_subset_prints_one_json_summary_and_writes_a_checkpoint()
    {
        var (code, stdout, stderr) = CliProcess.Run(TimeSpan.FromMinutes(8), "pretrain", "--limit", "40", "--steps", "3", "--batch-size", "8",
            "--threads", "1", "--seed", "0", "--deterministic", "--out", _out, "--json");
        Assert.True(code == 0, stderr);
        var lines = stdout.Trim().Split('\n');
        Assert.Single(lines);
        var root = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal(3, root.GetProperty("steps").GetInt32());
        foreach (var key in new[] { "ecg_per_s", "loss_first", "loss_last", "val_retrieval_r10", "test_retrieval_r10", "test_retrieval_r10_chance", "loader_records_per_s", "wall_s" })
            Assert.True(root.GetProperty(key).GetDouble() > 0, key);
        Assert.Matches("^[0-9a-f]{64}$", root.GetProperty("weights_sha256").GetString());
        Assert.Equal(0, root.GetProperty("skipped").GetInt32());
        Assert.False(root.GetProperty("interrupted").GetBoolean());
        // The test chance rate is 10 / unique normalised texts among the 40 test ECGs.
        double chance = root.GetProperty("test_retrieval_r10_chance").GetDouble();
        Assert.InRange(chance, 10.0 / 40, 1.0);
        string last = root.GetProperty("last_checkpoint").GetString()!;
        foreach (var file in new[] { "config.json", "model.safetensors", "optimizer.bin", "trainer_state.json", "vocab.txt", "tokenizer.json", "manifest.json" })
            Assert.True(File.Exists(Path.Combine(last, file)), file);
        var metrics = File.ReadAllLines(Path.Combine(_out, "metrics.jsonl"));
        Assert.Equal(3, metrics.Count(l => l.Contains("\"kind\":\"step\"", StringComparison.Ordinal)));
        Assert.Contains(metrics, l => l.Contains("\"kind\":\"validation\"", StringComparison.Ordinal) && l.Contains("\"ecg_to_text_r10\"", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(_out, "skipped_records.csv")));

        // --resume of a finished run continues from its last checkpoint and does no further step.
        var (code2, stdout2, stderr2) = CliProcess.Run(TimeSpan.FromMinutes(8), "pretrain", "--limit", "40", "--steps", "3", "--batch-size", "8",
            "--threads", "1", "--seed", "0", "--deterministic", "--out", _out, "--resume", "--json");
        Assert.True(code2 == 0, stderr2);
        var again = JsonDocument.Parse(stdout2.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(3, again.GetProperty("resumed_from_step").GetInt32());
        Assert.Equal(0, again.GetProperty("steps_this_run").GetInt32());
        Assert.Equal(root.GetProperty("weights_sha256").GetString(), again.GetProperty("weights_sha256").GetString());
        Assert.Equal(root.GetProperty("val_retrieval_r10").GetDouble(), again.GetProperty("val_retrieval_r10").GetDouble());
    }

    [Fact]
    public void Pretrain_reads_shards_built_by_dataset_build()
    {
        string shards = Path.Combine(_out, "shards");
        var (built, _, buildErr) = CliProcess.Run(TimeSpan.FromMinutes(4), "dataset", "build", "--source", "embedded", "--out", shards, "--fs", "100", "--json");
        Assert.True(built == 0, buildErr);
        var (code, stdout, stderr) = CliProcess.Run(TimeSpan.FromMinutes(6), "pretrain", "--data", "shards:" + shards, "--limit", "24", "--steps", "2",
            "--batch-size", "8", "--threads", "1", "--out", Path.Combine(_out, "run"), "--json");
        Assert.True(code == 0, stderr);
        var root = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(2, root.GetProperty("steps").GetInt32());
        Assert.Equal(24, root.GetProperty("train_pairs").GetInt32());
        Assert.Equal(0, root.GetProperty("skipped").GetInt32());
        Assert.True(root.GetProperty("test_retrieval_r10").GetDouble() > 0);
    }

    [Theory]
    [InlineData("--data", "shards:/nonexistent/shards")]
    [InlineData("--data", "ptbxl:/nonexistent/ptbxl")]
    [InlineData("--backbone", "resnet50")]
    [InlineData("--objective", "triplet")]
    [InlineData("--precision", "fp16")]
    [InlineData("--batch-size", "1")]
    [InlineData("--allocator", "jemalloc")]
    public void Bad_input_exits_2_with_the_reason(string option, string value)
    {
        var (code, _, stderr) = CliProcess.Run("pretrain", option, value, "--steps", "1", "--out", _out);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("error:", stderr);
    }

    [Fact]
    public void A_hand_edited_config_exits_2_naming_the_file_and_field()
    {
        Directory.CreateDirectory(_out);
        string config = Path.Combine(_out, "config.json");
        File.WriteAllText(config, "{ \"ecg\": { \"name\": \"r\", \"layers\": [1], \"widths\": [8], \"embeddingDim\": 16 }, \"embeddingDim\": 32, \"preprocessing\": { \"samplingRateHz\": 100 } }");
        var (code, _, stderr) = CliProcess.Run("pretrain", "--config", config, "--steps", "1", "--out", _out);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(config, stderr);
        Assert.Contains("embeddingDim:", stderr);
    }

    [Fact]
    public void Help_explains_the_options()
    {
        var (code, stdout, _) = CliProcess.Run("pretrain", "--help");
        Assert.Equal(0, code);
        foreach (var option in new[] { "--data", "--fs", "--backbone", "--objective", "--epochs", "--steps", "--batch-size", "--lr", "--seed", "--threads", "--precision", "--deterministic", "--checkpoint-every", "--out", "--resume", "--json", "--text-tower", "--freeze-text-layers", "--text-pooling" })
            Assert.Contains(option, stdout);
    }
}
