namespace EcgClip.Eval.Prediction;

/// <summary>An ECG that cannot be given to the model (missing leads, too short, unknown units), naming the file and the reason.</summary>
public sealed class EcgInputException : Exception
{
    /// <summary>Creates the exception for the ECG read from <paramref name="file"/>.</summary>
    public EcgInputException(string file, string reason, Exception? inner = null)
        : base($"{file}: {reason}", inner)
    {
        File = file;
        Reason = reason;
    }

    /// <summary>The file or record concerned.</summary>
    public string File { get; }

    /// <summary>Why it was refused.</summary>
    public string Reason { get; }
}
