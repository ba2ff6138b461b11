namespace EcgClip.Core.Models;

/// <summary>A model configuration (or checkpoint config file) that is malformed or invalid; names the file and the field(s).</summary>
public sealed class ModelConfigException : FormatException
{
    /// <summary>Creates the exception for <paramref name="source"/> and the problems found (each <c>field: reason</c>).</summary>
    public ModelConfigException(string source, IReadOnlyList<string> problems, Exception? inner = null)
        : base($"{source}: invalid model configuration: {string.Join("; ", problems)}", inner)
    {
        File = source;
        Problems = problems;
    }

    /// <summary>The file (or other input) the configuration came from.</summary>
    public string File { get; }

    /// <summary>Each problem as <c>field: reason</c>.</summary>
    public IReadOnlyList<string> Problems { get; }
}
