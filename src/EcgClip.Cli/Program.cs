using EcgClip.Cli.Infrastructure;

namespace EcgClip.Cli;

internal static class Program
{
    private static int Main(string[] args) => CommandCatalog.BuildRoot().Parse(args).Invoke();
}
