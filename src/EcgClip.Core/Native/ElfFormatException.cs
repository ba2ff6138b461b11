namespace EcgClip.Core.Native;

/// <summary>
/// A file handed to the ELF reader or patcher is not a well-formed 64-bit little-endian ELF shared
/// object. The message names the file and the reason; the file is never modified when this is thrown.
/// </summary>
public sealed class ElfFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/> with a human-readable reason.</summary>
    public ElfFormatException(string path, string reason)
        : base($"'{path}' is not a usable ELF64 shared object: {reason}")
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The file that was read.</summary>
    public string Path { get; }

    /// <summary>Why it was rejected.</summary>
    public string Reason { get; }
}
