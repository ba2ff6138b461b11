namespace EcgClip.Signal.Records;

/// <summary>
/// Input that a reader cannot accept: malformed, truncated, unsupported or unsafe. The message always names
/// the file and the reason. Readers throw only this for bad input.
/// </summary>
public class EcgFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/> with <paramref name="reason"/>.</summary>
    public EcgFormatException(string path, string reason, Exception? inner = null)
        : base($"{path}: {reason}", inner)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The offending file (or a description of the input when it is not a file).</summary>
    public string Path { get; }
    /// <summary>Why it was rejected.</summary>
    public string Reason { get; }
}
