using System.Diagnostics;

namespace EcgClip.Core.Tests.Distributed;

/// <summary>Failure drills under mpiexec: no rank may hang when a peer stops or dies.</summary>
[Collection(MpiCollection.Name)]
public sealed class MpiFailureTests
{
    [MpiFact]
    public void Hang_PeerStopsJoining_OthersFailWithTimeoutErrorAndJobEnds()
    {
        var dir = Directory.CreateTempSubdirectory("ecgclip-mpi-hang-").FullName;
        try
        {
            var run = MpiHost.Run(2, TimeSpan.FromSeconds(90), "hang", "--out", dir, "--timeout", "3");
            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains("CollectiveTimeoutException", run.Output);
            Assert.Contains("did not complete within 3 s", run.Output);
            Assert.True(run.Elapsed < TimeSpan.FromSeconds(45), $"the job took {run.Elapsed.TotalSeconds:F1} s to end:\n{run.Output}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [MpiTheory]
    [InlineData("")]
    [InlineData("-disable-auto-cleanup")]
    public void Kill_OneRankMidRun_OthersExitWithin60Seconds(string mpiFlags)
    {
        var dir = Directory.CreateTempSubdirectory("ecgclip-mpi-kill-").FullName;
        try
        {
            var (process, output) = MpiHost.Start(2, mpiFlags, "kill", "--out", dir, "--timeout", "30");
            using (process)
            {
                var pid0 = Path.Combine(dir, "pid.0");
                var pid1 = Path.Combine(dir, "pid.1");
                var startup = Stopwatch.StartNew();
                while (!(File.Exists(pid0) && File.Exists(pid1)) && startup.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited) Thread.Sleep(100);
                Assert.True(File.Exists(pid1), $"rank 1 did not start:\n{output()}");
                Thread.Sleep(1000); // mid-run: collectives in flight
                int victim = int.Parse(File.ReadAllText(pid1), System.Globalization.CultureInfo.InvariantCulture);
                var clock = Stopwatch.StartNew();
                Process.GetProcessById(victim).Kill();
                bool ended = process.WaitForExit(TimeSpan.FromSeconds(60));
                var elapsed = clock.Elapsed;
                if (!ended) process.Kill(entireProcessTree: true);
                Assert.True(ended, $"the surviving rank did not exit within 60 s after kill -9 of rank 1:\n{output()}");
                process.WaitForExit();
                Assert.NotEqual(0, process.ExitCode);
                string text = output();
                Assert.True(text.Contains("BAD TERMINATION", StringComparison.Ordinal) || text.Contains("Killed", StringComparison.Ordinal)
                    || text.Contains("did not complete within", StringComparison.Ordinal), $"no clear error after {elapsed.TotalSeconds:F2} s:\n{text}");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
