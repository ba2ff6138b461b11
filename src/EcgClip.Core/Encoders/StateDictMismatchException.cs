namespace EcgClip.Core.Encoders;

/// <summary>
/// A weight file that does not fit the model: every missing, unexpected and mis-shaped name is listed at once, so a
/// checkpoint can never load silently as random weights. An <see cref="IOException"/> (bad input, not an internal error).
/// </summary>
public sealed class StateDictMismatchException : IOException
{
    /// <summary>Creates the exception for <paramref name="source"/> (a file path) and the problems found.</summary>
    public StateDictMismatchException(string source, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> mismatched)
        : base(Describe(source, missing, unexpected, mismatched))
    {
        FilePath = source;
        Missing = missing;
        Unexpected = unexpected;
        Mismatched = mismatched;
    }

    /// <summary>The weight file.</summary>
    public string FilePath { get; }

    /// <summary>Model entries (EcgClip names) that the file does not provide.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>File entries (file names) that map to nothing in the model.</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>Entries present in both with different shapes: <c>file name → model name: file [..] vs model [..]</c>.</summary>
    public IReadOnlyList<string> Mismatched { get; }

    private static string Describe(string source, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> mismatched)
    {
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"missing {missing.Count}: {string.Join(", ", missing)}");
        if (unexpected.Count > 0) parts.Add($"unexpected {unexpected.Count}: {string.Join(", ", unexpected)}");
        if (mismatched.Count > 0) parts.Add($"mis-shaped {mismatched.Count}: {string.Join("; ", mismatched)}");
        return $"{source}: weights do not match the model ({string.Join(" | ", parts)})";
    }
}
