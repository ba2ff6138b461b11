using System.CommandLine;
using System.Reflection;

namespace EcgClip.Cli.Infrastructure;

/// <summary>Builds the root command from every <see cref="ICommandFactory"/> in this assembly, sorted by name.</summary>
internal static class CommandCatalog
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "ecgclip — ECG signal-language foundation models (ECGCLIP) in .NET.\n" +
            "Contrastive pretraining of 12-lead ECG encoders with their reports, evaluation (PRAUC with bootstrap CIs),\n" +
            "ECG file formats, scipy-exact preprocessing and diagnostics. Every command takes --json for one line of\n" +
            "machine-readable output. Run 'ecgclip <command> --help' for details.");
        var commands = typeof(CommandCatalog).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && !t.IsInterface && typeof(ICommandFactory).IsAssignableFrom(t))
            .Select(t => ((ICommandFactory)Activator.CreateInstance(t, nonPublic: true)!).Create())
            .OrderBy(c => c.Name, StringComparer.Ordinal);
        foreach (var command in commands) root.Subcommands.Add(command);
        return root;
    }
}
