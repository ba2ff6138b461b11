using EcgClip.Cli.Infrastructure;

namespace EcgClip.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        OpenMpWaitPolicy.Apply(); // before anything loads libtorch (see OpenMpWaitPolicy)
        return CommandCatalog.BuildRoot().Parse(args).Invoke();
    }
}
