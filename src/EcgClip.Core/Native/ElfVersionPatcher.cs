namespace EcgClip.Core.Native;

/// <summary>What <see cref="ElfVersionPatcher.MakeWeak"/> did.</summary>
public enum ElfPatchOutcome
{
    /// <summary>The entry was strict and is now weak in the output file.</summary>
    Patched,
    /// <summary>The entry was already weak; the output is byte-identical to the input.</summary>
    AlreadyWeak,
    /// <summary>The file does not need that version at all (or has no <c>.gnu.version_r</c>); nothing written.</summary>
    NotRequired,
}

/// <summary>
/// Marks one version need (<c>Elf64_Vernaux</c> in <c>.gnu.version_r</c>) as weak (<c>VER_FLG_WEAK</c>), so the
/// dynamic loader accepts a dependency that lacks that version. Used for <c>libLibTorchSharp.so</c>, whose only
/// use of <c>GLIBCXX_3.4.32</c> is the unused marker symbol <c>std::ios_base_library_init()</c>.
/// The source is never modified: the result goes to a temporary file beside the destination that is renamed
/// over it, so a reader never sees a half-written library.
/// </summary>
public static class ElfVersionPatcher
{
    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/> with the need for
    /// <paramref name="version"/> from <paramref name="dependency"/> made weak.
    /// </summary>
    /// <returns><see cref="ElfPatchOutcome.NotRequired"/> writes nothing; the other outcomes write the destination.</returns>
    /// <exception cref="ElfFormatException">The source is not a well-formed ELF64 little-endian file.</exception>
    public static ElfPatchOutcome MakeWeak(string source, string destination, string dependency, string version)
    {
        byte[] image = File.ReadAllBytes(source);
        var need = ElfVersionInfo.ReadVersionNeeds(image, source)
            .FirstOrDefault(n => n.File == dependency && n.Version == version);
        if (need is null) return ElfPatchOutcome.NotRequired;

        var outcome = ElfPatchOutcome.AlreadyWeak;
        if (!need.IsWeak)
        {
            ushort flags = (ushort)(need.Flags | ElfVersionInfo.VerFlagWeak);
            image[need.FlagsOffset] = (byte)flags;
            image[need.FlagsOffset + 1] = (byte)(flags >> 8);
            outcome = ElfPatchOutcome.Patched;
        }
        WriteAtomically(destination, image);
        return outcome;
    }

    internal static void WriteAtomically(string destination, byte[] content)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(destination))!;
        Directory.CreateDirectory(dir);
        string temp = Path.Combine(dir, $".{Path.GetFileName(destination)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                fs.Write(content);
                fs.Flush(flushToDisk: true);
            }
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                           UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            File.Move(temp, destination, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
