namespace EcgClip.Eval.Prediction;

/// <summary>A task-head file that is missing, corrupt or does not match its description, naming the file and the reason.</summary>
public sealed class TaskHeadFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public TaskHeadFormatException(string path, string reason, Exception? inner = null) : base($"{path}: {reason}", inner)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The file concerned.</summary>
    public string Path { get; }

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; }
}
