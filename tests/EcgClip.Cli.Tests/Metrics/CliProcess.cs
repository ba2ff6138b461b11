using System.Diagnostics;

namespace EcgClip.Cli.Tests.Metrics;

/// <summary>Runs the built <c>ecgclip.dll</c> (copied beside the tests) in a child process, so Console capture never races other tests.</summary>
internal static class CliProcess
{
    public static (int ExitCode, string StdOut, string StdErr) Run(params string[] args)
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
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("ecgclip did not finish in 120 s");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    public static string Fixture(string name) => EcgClip.Testing.TestPaths.Repo("tests", "EcgClip.Cli.Tests", "Metrics", "Fixtures", name);
}
