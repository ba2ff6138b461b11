using System.CommandLine;

namespace EcgClip.Cli.Infrastructure;

/// <summary>
/// One top-level <c>ecgclip</c> command. Every non-abstract implementation in this assembly is discovered
/// at start-up (see <see cref="CommandCatalog"/>), so adding a command is adding one file under Commands/.
/// Commands stay thin: parse, bind options, call one library service, render (text, or one JSON line with --json).
/// </summary>
internal interface ICommandFactory
{
    /// <summary>Builds the command with its options and action.</summary>
    Command Create();
}
