using System.Diagnostics;

namespace EcgClip.Cli.Tests;

/// <summary>Runs the built <c>ecgclip.dll</c> (copied beside the tests) in a child process, so Console capture never races other tests.</summary>
internal static class CliProcess
{
    public static (int ExitCode, string StdOut, string StdErr) Run(params string[] args) => Run(TimeSpan.FromSeconds(120), args);

    /// <summary>Runs <c>dotnet ecgclip.dll args…</c>, killing it after <paramref name="timeout"/>.</summary>
    public static (int ExitCode, string StdOut, string StdErr) Run(TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ecgclip.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"ecgclip did not finish in {timeout.TotalSeconds:F0} s");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
