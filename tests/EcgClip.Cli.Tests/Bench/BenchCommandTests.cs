using System.Text.Json;
using EcgClip.Cli.Infrastructure;

namespace EcgClip.Cli.Tests.Bench;

public sealed class BenchCommandTests
{
    [Theory]
    [InlineData("train", "float32")]
    [InlineData("train", "bf16")]
    [InlineData("infer", "bf16")]
    public void Bench_TinyRun_JsonHasThroughputAndFiniteValue(string mode, string precision)
    {
        var (code, stdout, stderr) = CliProcess.Run("bench", mode, "--batch-size", "2", "--length", "200", "--threads", "1", "--steps", "1", "--warmup", "1", "--precision", precision, "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("ecg_per_s").GetDouble() > 0);
        Assert.Equal(precision, root.GetProperty("precision").GetString());
        Assert.Equal(1, root.GetProperty("threads").GetInt32());
        Assert.True(double.IsFinite(root.GetProperty("final_value").GetDouble()));
    }

    [Theory]
    [InlineData(false, "float32")]
    [InlineData(true, "float32")]
    [InlineData(false, "bf16")]
    public void BenchInfer_InferenceFormAndTrainingModule_ReportWhichRan(bool unoptimised, string precision)
    {
        var args = new List<string> { "bench", "infer", "--batch-size", "2", "--length", "200", "--threads", "1", "--steps", "1", "--warmup", "0", "--precision", precision, "--json" };
        if (unoptimised) args.Add("--unoptimised");
        var (code, stdout, stderr) = CliProcess.Run(args.ToArray());
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        var root = doc.RootElement;
        Assert.Equal(!unoptimised, root.GetProperty("inference_form").GetBoolean());
        Assert.Contains(root.GetProperty("allocator").GetString(), new[] { "applied", "setbyenvironment" });
        Assert.True(double.IsFinite(root.GetProperty("final_value").GetDouble()));
        // libgomp must see the wait policy the CLI sets at start-up (or the caller's own choice).
        string expected = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is { Length: > 0 } own ? own : "PASSIVE";
        Assert.Equal(expected, root.GetProperty("omp_wait_policy").GetString());
    }

    [Theory]
    [InlineData("native", "native")]
    [InlineData("emulated", "float32-emulated")]
    public void BenchInfer_Bf16Kernels_AreChosenAndReported(string kernels, string reported)
    {
        var (code, stdout, stderr) = CliProcess.Run("bench", "infer", "--batch-size", "2", "--length", "200", "--threads", "1", "--steps", "1", "--warmup", "0", "--precision", "bf16", "--bf16-kernels", kernels, "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        Assert.Equal(reported, doc.RootElement.GetProperty("bf16_kernels").GetString());
        Assert.True(double.IsFinite(doc.RootElement.GetProperty("final_value").GetDouble()));
    }

    [Fact]
    public void BenchInfer_BadBf16Kernels_ExitsBadInput()
    {
        var (code, _, stderr) = CliProcess.Run("bench", "infer", "--precision", "bf16", "--bf16-kernels", "fast", "--steps", "1", "--warmup", "0", "--length", "100");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--bf16-kernels must be auto, native or emulated", stderr);
    }

    [Theory]
    [InlineData("train", "channels-first")]
    [InlineData("train", "channels-last")]
    [InlineData("infer", "channels-last")]
    public void Bench_Layout_IsAppliedAndReported(string mode, string layout)
    {
        var (code, stdout, stderr) = CliProcess.Run("bench", mode, "--batch-size", "2", "--length", "200", "--threads", "1", "--steps", "1", "--warmup", "0", "--layout", layout, "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        Assert.Equal(layout, doc.RootElement.GetProperty("layout").GetString());
        Assert.True(double.IsFinite(doc.RootElement.GetProperty("final_value").GetDouble()));
    }

    [Theory]
    [InlineData("--layout", "nhwc")]
    [InlineData("--allocator", "jemalloc")]
    [InlineData("--precision", "fp16")]
    [InlineData("--backbone", "resnet50")]
    [InlineData("--batch-size", "0")]
    public void Bench_BadArgument_ExitsBadInputWithReason(string option, string value)
    {
        var (code, _, stderr) = CliProcess.Run("bench", "train", option, value, "--steps", "1", "--warmup", "0", "--length", "100");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("error:", stderr);
    }
}
