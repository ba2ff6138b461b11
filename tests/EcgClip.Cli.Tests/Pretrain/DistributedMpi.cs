using System.Diagnostics;

namespace EcgClip.Cli.Tests.Pretrain;

/// <summary>Starts <c>mpiexec -n N dotnet ecgclip.dll …</c> for the distributed pretraining tests and says whether MPICH is here.</summary>
internal static class DistributedMpi
{
    private static readonly Lazy<string?> s_mpiexec = new(() => FindOnPath("mpiexec.mpich") ?? FindOnPath("mpiexec"));

    /// <summary>Why the 2-rank tests cannot run here, or null when mpiexec and libmpich.so.12 are present.</summary>
    public static string? SkipReason
    {
        get
        {
            if (s_mpiexec.Value is null) return "MPICH is not installed (no mpiexec on PATH): apt-get install mpich";
            // found, not loaded: see MpiProbe
            return EcgClip.Testing.MpiProbe.FindLibrary("libmpich.so.12") is null ? "libmpich.so.12 not found: apt-get install mpich" : null;
        }
    }

    /// <summary>Starts <c>mpiexec -n ranks dotnet ecgclip.dll args…</c> with stdout and stderr captured separately.</summary>
    public static (Process Process, Task<string> StdOut, Task<string> StdErr) Start(int ranks, params string[] args)
    {
        var info = new ProcessStartInfo(s_mpiexec.Value ?? throw new InvalidOperationException(SkipReason))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-n");
        info.ArgumentList.Add(ranks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add(Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet");
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ecgclip.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["ECGCLIP_TEST_RUN"] = TestRunId;
        var process = Process.Start(info)!;
        return (process, process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
    }

    /// <summary>Runs to the end (killed after <paramref name="timeout"/>).</summary>
    public static (int ExitCode, string StdOut, string StdErr) Run(int ranks, TimeSpan timeout, params string[] args)
    {
        var (p, stdout, stderr) = Start(ranks, args);
        using (p)
        {
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException($"mpiexec -n {ranks} ecgclip did not finish in {timeout.TotalSeconds:F0} s");
            }
            return (p.ExitCode, stdout.Result, stderr.Result);
        }
    }

    /// <summary>The process id of the rank <paramref name="rank"/> ecgclip process (MPICH's PMI_RANK in its environment), or null.</summary>
    public static int? FindRank(int rank)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                if (!File.ReadAllText(Path.Combine(dir, "cmdline")).Contains("ecgclip.dll", StringComparison.Ordinal)) continue;
                var env = File.ReadAllText(Path.Combine(dir, "environ")).Split('\0');
                if (env.Contains($"PMI_RANK={rank}") && env.Any(e => e.StartsWith("ECGCLIP_TEST_RUN=", StringComparison.Ordinal) && e.EndsWith(TestRunId, StringComparison.Ordinal)))
                    return pid;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return null;
    }

    /// <summary>Marks the ranks this test process starts (mpiexec passes the environment on), so <see cref="FindRank"/> finds only ours.</summary>
    public static string TestRunId { get; } = Guid.NewGuid().ToString("N");

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}

/// <summary>A fact that needs MPICH; skipped with the reason when it is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class DistributedMpiFactAttribute : FactAttribute
{
    public DistributedMpiFactAttribute()
    {
        if (DistributedMpi.SkipReason is { } reason) Skip = reason;
    }
}
