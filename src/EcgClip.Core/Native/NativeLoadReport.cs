namespace EcgClip.Core.Native;

/// <summary>What the TorchSharp native loader fix found and did in this process.</summary>
public enum NativeLoadStatus
{
    /// <summary>Not Linux: nothing to do (Windows and macOS load TorchSharp unchanged).</summary>
    NotLinux,
    /// <summary>Turned off with <c>ECGCLIP_NATIVE_FIX=0</c>.</summary>
    Disabled,
    /// <summary>No <c>libLibTorchSharp.so</c> in the app's native search directories (TorchSharp's own loader decides).</summary>
    LibraryNotFound,
    /// <summary>The library does not strictly need the missing version; loaded unchanged.</summary>
    NotRequired,
    /// <summary>The system libstdc++ defines the needed version; loaded unchanged.</summary>
    SystemHasVersion,
    /// <summary>A patched copy (need made weak) was loaded from the user cache.</summary>
    Applied,
    /// <summary>The fix was needed but could not be applied or loaded; see <see cref="NativeLoadReport.Error"/>.</summary>
    Failed,
}

/// <summary>Outcome of <see cref="TorchNativeLoader.EnsureLoaded"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="SourceLibrary">The <c>libLibTorchSharp.so</c> TorchSharp would load, if found.</param>
/// <param name="PatchedLibrary">The patched copy that was loaded, when <see cref="Status"/> is <see cref="NativeLoadStatus.Applied"/>.</param>
/// <param name="LibStdCxx">The system libstdc++ examined.</param>
/// <param name="HighestGlibcxx">Its highest <c>GLIBCXX_3.4.N</c>.</param>
/// <param name="Tried">Every step taken, in order, for diagnostics.</param>
/// <param name="Error">Why it failed, when it did.</param>
public sealed record NativeLoadReport(
    NativeLoadStatus Status,
    string? SourceLibrary,
    string? PatchedLibrary,
    string? LibStdCxx,
    string? HighestGlibcxx,
    IReadOnlyList<string> Tried,
    string? Error)
{
    /// <summary>True when the patched copy is in use.</summary>
    public bool Applied => Status == NativeLoadStatus.Applied;

    /// <summary>Throws <see cref="TorchNativeLoadException"/> when the fix was needed but failed.</summary>
    public NativeLoadReport ThrowIfFailed() =>
        Status == NativeLoadStatus.Failed ? throw new TorchNativeLoadException(this) : this;
}

/// <summary>TorchSharp's native library could not be made loadable; the message lists what was tried and why.</summary>
public sealed class TorchNativeLoadException : Exception
{
    /// <summary>Creates the exception from a failed report.</summary>
    public TorchNativeLoadException(NativeLoadReport report)
        : base("EcgClip could not prepare TorchSharp's native library: " + report.Error + Environment.NewLine +
               "Steps tried:" + Environment.NewLine + "  - " + string.Join(Environment.NewLine + "  - ", report.Tried) + Environment.NewLine +
               "Set ECGCLIP_NATIVE_CACHE to a writable folder, or install a libstdc++ that defines " + TorchNativeLoader.RequiredGlibcxx + ".")
    {
        Report = report;
    }

    /// <summary>The report with every step taken.</summary>
    public NativeLoadReport Report { get; }
}
