using System.Diagnostics;
using System.Text.Json;

namespace EcgClip.Cli.Tests.Pretrain;

/// <summary>
/// The must-show: SIGKILL a deterministic run after its first checkpoint appears, run it again with --resume,
/// and it ends with the weights_sha256 of an uninterrupted run with the same arguments.
/// </summary>
public sealed class PretrainKillResumeTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ecgclip-killresume-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static string[] Args(string output, params string[] extra) =>
        ["pretrain", "--limit", "32", "--steps", "8", "--batch-size", "8", "--checkpoint-every", "2", "--threads", "1", "--seed", "4",
         "--deterministic", "--out", output, "--json", .. extra];

    [Fact]
    public void A_sigkilled_run_resumed_ends_with_the_weights_of_an_uninterrupted_run()
    {
        var (code, stdout, stderr) = CliProcess.Run(TimeSpan.FromMinutes(8), Args(Path.Combine(_root, "whole")));
        Assert.True(code == 0, stderr);
        string expected = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement.GetProperty("weights_sha256").GetString()!;

        string killed = Path.Combine(_root, "killed");
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ecgclip.dll"));
        foreach (var a in Args(killed)) psi.ArgumentList.Add(a);
        using (var p = Process.Start(psi)!)
        {
            _ = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            string first = Path.Combine(killed, "checkpoints", "step-0000002", "manifest.json");
            while (!File.Exists(first) && !p.HasExited && clock.Elapsed < TimeSpan.FromMinutes(6)) Thread.Sleep(20);
            Assert.False(p.HasExited, "the run ended before it could be killed");
            p.Kill(entireProcessTree: true); // SIGKILL
            p.WaitForExit();
        }
        var (code2, stdout2, stderr2) = CliProcess.Run(TimeSpan.FromMinutes(8), Args(killed, "--resume"));
        Assert.True(code2 == 0, stderr2);
        var resumed = JsonDocument.Parse(stdout2.Trim().Split('\n')[^1]).RootElement;
        Assert.True(resumed.GetProperty("resumed_from_step").GetInt32() >= 2);
        Assert.Equal(8, resumed.GetProperty("steps").GetInt32());
        Assert.Equal(expected, resumed.GetProperty("weights_sha256").GetString());
        Assert.DoesNotContain(Directory.EnumerateDirectories(Path.Combine(killed, "checkpoints")), d => Path.GetFileName(d).StartsWith('.'));
    }
}
