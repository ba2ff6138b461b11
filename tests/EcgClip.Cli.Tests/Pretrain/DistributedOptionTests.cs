using System.Text.Json;

namespace EcgClip.Cli.Tests.Pretrain;

/// <summary>The --distributed / --collective-timeout options without MPI: bad values are bad input, "none" changes nothing.</summary>
public sealed class DistributedOptionTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ecgclip-distopt-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData("--distributed", "nccl", "--distributed must be none or mpi")]
    [InlineData("--collective-timeout", "0", "--collective-timeout must be in")]
    public void Bad_values_exit_2_naming_the_option(string option, string value, string message)
    {
        var (code, _, stderr) = CliProcess.Run("pretrain", "--limit", "16", "--steps", "1", "--batch-size", "8", "--out", Path.Combine(_root, "bad"), option, value);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Distributed_none_gives_the_weights_of_a_run_without_the_option()
    {
        string[] Args(string dir) => ["pretrain", "--limit", "24", "--steps", "2", "--batch-size", "8", "--threads", "1", "--seed", "5", "--deterministic", "--out", Path.Combine(_root, dir), "--json"];
        var (code, stdout, stderr) = CliProcess.Run(TimeSpan.FromMinutes(4), Args("plain"));
        Assert.True(code == 0, stderr);
        var (code2, stdout2, stderr2) = CliProcess.Run(TimeSpan.FromMinutes(4), [.. Args("none"), "--distributed", "none"]);
        Assert.True(code2 == 0, stderr2);
        var plain = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement;
        var none = JsonDocument.Parse(stdout2.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(plain.GetProperty("weights_sha256").GetString(), none.GetProperty("weights_sha256").GetString());
        Assert.Equal(1, none.GetProperty("world_size").GetInt32());
        Assert.Equal("single", none.GetProperty("distributed").GetString());
    }
}
