using System.Diagnostics;
using EcgClip.Testing;

namespace EcgClip.Core.Tests.Distributed;

/// <summary>Result of one mpiexec run of the test host.</summary>
internal sealed record MpiRun(int ExitCode, string Output, TimeSpan Elapsed);

/// <summary>
/// Launches tests/EcgClip.Distributed.TestHost under <c>mpiexec -n N</c> (built with this test project, same
/// configuration) and finds out whether MPICH is installed (<see cref="SkipReason"/>).
/// </summary>
internal static class MpiHost
{
    private static readonly Lazy<string?> s_mpiexec = new(() => FindOnPath("mpiexec.mpich") ?? FindOnPath("mpiexec"));

    /// <summary>Why MPI tests cannot run here, or null when mpiexec and libmpich.so.12 are present.</summary>
    public static string? SkipReason
    {
        get
        {
            if (s_mpiexec.Value is null) return "MPICH is not installed (no mpiexec on PATH): apt-get install mpich (.ci/run installs it)";
            // found, not loaded: see MpiProbe
            return EcgClip.Testing.MpiProbe.FindLibrary("libmpich.so.12") is null ? "libmpich.so.12 not found: apt-get install mpich" : null;
        }
    }

    /// <summary>The test host's dll, built next to this assembly's configuration.</summary>
    public static string HostDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            var dll = TestPaths.Repo("tests", "EcgClip.Distributed.TestHost", "bin", configuration, "net10.0", "EcgClip.Distributed.TestHost.dll");
            if (!File.Exists(dll)) throw new FileNotFoundException($"the MPI test host is not built: {dll} (dotnet build tests/EcgClip.Distributed.TestHost -c {configuration})", dll);
            return dll;
        }
    }

    /// <summary>Starts <c>mpiexec [flags] -n ranks dotnet host args…</c>, its output merged into one buffer.</summary>
    public static (Process Process, Func<string> Output) Start(int ranks, string mpiFlags, params string[] hostArgs)
    {
        var info = new ProcessStartInfo(s_mpiexec.Value ?? throw new InvalidOperationException(SkipReason))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var flag in mpiFlags.Split(' ', StringSplitOptions.RemoveEmptyEntries)) info.ArgumentList.Add(flag);
        info.ArgumentList.Add("-n");
        info.ArgumentList.Add(ranks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add(Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet");
        info.ArgumentList.Add(HostDll);
        foreach (var a in hostArgs) info.ArgumentList.Add(a);
        var output = new System.Text.StringBuilder();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, () => { lock (output) return output.ToString(); });
    }

    /// <summary>Runs the host to completion (killing the job after <paramref name="timeout"/>).</summary>
    public static MpiRun Run(int ranks, TimeSpan timeout, params string[] hostArgs)
    {
        var clock = Stopwatch.StartNew();
        var (process, output) = Start(ranks, "", hostArgs);
        using (process)
        {
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                throw new TimeoutException($"mpiexec did not finish within {timeout.TotalSeconds} s:\n{output()}");
            }
            process.WaitForExit();
            return new MpiRun(process.ExitCode, output(), clock.Elapsed);
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}

/// <summary>A fact that needs MPICH (mpiexec and libmpich.so.12); skipped with the reason when it is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute()
    {
        if (MpiHost.SkipReason is { } reason) Skip = reason;
    }
}

/// <summary>A theory that needs MPICH; skipped with the reason when it is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class MpiTheoryAttribute : TheoryAttribute
{
    public MpiTheoryAttribute()
    {
        if (MpiHost.SkipReason is { } reason) Skip = reason;
    }
}

/// <summary>MPI tests run one at a time (each starts two .NET processes).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MpiCollection
{
    public const string Name = "mpi";
}
