using EcgClip.Cli.Infrastructure;

namespace EcgClip.Cli.Tests.Doctor;

/// <summary>Runs an ecgclip command line in-process and captures its exit code, stdout and stderr.</summary>
internal static class CliRunner
{
    private static readonly object s_gate = new();

    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        lock (s_gate)
        {
            var oldOut = Console.Out;
            var oldErr = Console.Error;
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            try
            {
                Console.SetOut(stdout);
                Console.SetError(stderr);
                int exit = CommandCatalog.BuildRoot().Parse(args).Invoke();
                return (exit, stdout.ToString(), stderr.ToString());
            }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
            }
        }
    }
}
