namespace EcgClip.Core.Training.Checkpoints;

/// <summary>
/// A checkpoint (or one of its files) is missing, truncated, corrupt or does not fit the module or optimiser it is
/// loaded into. The message names the file and the reason; <see cref="FilePath"/> holds the file.
/// </summary>
public sealed class CheckpointFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> with <paramref name="reason"/>.</summary>
    public CheckpointFormatException(string filePath, string reason, Exception? inner = null)
        : base($"{filePath}: {reason}", inner)
    {
        FilePath = filePath;
        Reason = reason;
    }

    /// <summary>The offending file (or checkpoint folder).</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; }
}
