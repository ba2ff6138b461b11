using System.Diagnostics;
using System.Text.Json;
using EcgClip.Core.Training.Checkpoints;

namespace EcgClip.Cli.Tests.Pretrain;

/// <summary>
/// <c>mpiexec -n 2 ecgclip pretrain --distributed mpi</c> on a tiny embedded subset: bit-identical parameters on both ranks,
/// rank 0 alone writes and prints, --resume continues, and a killed rank ends the job quickly without losing checkpoints.
/// </summary>
[Collection(DistributedPretrainCollection.Name)]
public sealed class DistributedPretrainTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ecgclip-distpretrain-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static string[] Args(string output, int steps, params string[] extra) =>
        ["pretrain", "--limit", "32", "--steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture), "--batch-size", "8",
         "--checkpoint-every", "2", "--threads", "1", "--seed", "3", "--distributed", "mpi", "--out", output, "--json", .. extra];

    private static JsonElement OnlyJsonLine(string stdout)
    {
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith('{')).ToArray();
        Assert.True(lines.Length == 1, $"expected one JSON line (rank 0 only), got {lines.Length}:\n{stdout}");
        return JsonDocument.Parse(lines[0]).RootElement.Clone();
    }

    private static void AssertRanksAgree(JsonElement summary)
    {
        Assert.Equal(2, summary.GetProperty("world_size").GetInt32());
        Assert.Equal(16, summary.GetProperty("global_batch").GetInt32());
        var hashes = summary.GetProperty("rank_weights_sha256").EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.Equal(2, hashes.Length);
        Assert.All(hashes, h => Assert.Equal(summary.GetProperty("weights_sha256").GetString(), h));
    }

    [DistributedMpiFact]
    public void Two_ranks_train_identically_rank0_alone_writes_and_resume_continues()
    {
        string run = Path.Combine(_root, "run");
        var (code, stdout, stderr) = DistributedMpi.Run(2, TimeSpan.FromMinutes(6), Args(run, 4));
        Assert.True(code == 0, stderr);
        var first = OnlyJsonLine(stdout);
        AssertRanksAgree(first);
        Assert.Equal(4, first.GetProperty("steps").GetInt32());
        // Rank 0 alone writes metrics: one row per step, not one per rank.
        var stepRows = File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Count(l => l.Contains("\"kind\":\"step\"", StringComparison.Ordinal));
        Assert.Equal(4, stepRows);
        CheckpointStore.Verify(first.GetProperty("last_checkpoint").GetString()!);

        var (code2, stdout2, stderr2) = DistributedMpi.Run(2, TimeSpan.FromMinutes(6), Args(run, 6, "--resume"));
        Assert.True(code2 == 0, stderr2);
        var resumed = OnlyJsonLine(stdout2);
        AssertRanksAgree(resumed);
        Assert.Equal(4, resumed.GetProperty("resumed_from_step").GetInt32());
        Assert.Equal(6, resumed.GetProperty("steps").GetInt32());
        Assert.Equal(2, resumed.GetProperty("steps_this_run").GetInt32());
        Assert.NotEqual(first.GetProperty("weights_sha256").GetString(), resumed.GetProperty("weights_sha256").GetString());
    }

    [DistributedMpiFact]
    public void Killing_one_rank_ends_the_job_within_60_s_and_the_last_checkpoint_resumes()
    {
        string run = Path.Combine(_root, "killed");
        var (p, stdout, stderr) = DistributedMpi.Start(2, Args(run, 200));
        using (p)
        {
            var clock = Stopwatch.StartNew();
            // Checkpoints come every 2 steps and old ones are pruned, so wait for any complete one, not a fixed name.
            string checkpoints = Path.Combine(run, "checkpoints");
            bool AnyComplete() => Directory.Exists(checkpoints)
                && Directory.EnumerateDirectories(checkpoints, "step-*").Any(d => File.Exists(Path.Combine(d, "manifest.json")));
            while (!AnyComplete() && !p.HasExited && clock.Elapsed < TimeSpan.FromMinutes(5)) Thread.Sleep(50);
            if (p.HasExited) Assert.Fail($"the run ended before a rank could be killed:\n{stderr.Result}");
            int? rank1 = DistributedMpi.FindRank(1);
            Assert.True(rank1 is not null, "rank 1's process was not found");
            using (var victim = Process.GetProcessById(rank1.Value)) victim.Kill(); // SIGKILL
            var killedAt = Stopwatch.StartNew();
            bool ended = p.WaitForExit(TimeSpan.FromSeconds(60));
            if (!ended) p.Kill(entireProcessTree: true);
            Assert.True(ended, "the surviving rank did not exit within 60 s of its peer's death");
            Assert.NotEqual(0, p.ExitCode);
            Assert.True(killedAt.Elapsed < TimeSpan.FromSeconds(60));
        }
        var latest = new CheckpointStore(run).Latest();
        Assert.NotNull(latest);
        CheckpointStore.Verify(latest);

        var (code, stdoutResume, stderrResume) = DistributedMpi.Run(2, TimeSpan.FromMinutes(6), Args(run, 4, "--resume"));
        Assert.True(code == 0, stderrResume);
        var resumed = OnlyJsonLine(stdoutResume);
        AssertRanksAgree(resumed);
        Assert.True(resumed.GetProperty("resumed_from_step").GetInt32() >= 2);
        Assert.Equal(Math.Max(4, resumed.GetProperty("resumed_from_step").GetInt32()), resumed.GetProperty("steps").GetInt32());
    }
}

/// <summary>The 2-rank pretraining tests run one at a time (each starts two .NET processes).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DistributedPretrainCollection
{
    /// <summary>Collection name.</summary>
    public const string Name = "distributed-pretrain";
}
