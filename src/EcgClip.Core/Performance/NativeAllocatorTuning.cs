using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EcgClip.Core.Performance;

/// <summary>
/// Keeps libtorch's large CPU activations in glibc's heap instead of fresh <c>mmap</c> pages. libtorch allocates each
/// activation (a ResNet-18 batch of 32×12×2500 makes 5–10 MB tensors) with <c>posix_memalign</c>; glibc serves blocks
/// above its mmap threshold with a new mapping and unmaps it on free, so every batch page-faults its activations again
/// (the kernel zero-fills each 4 KiB page). <see cref="Apply"/> raises the mmap threshold and the trim threshold with
/// <c>mallopt</c>, the run-time equivalent of starting the process with <c>MALLOC_MMAP_THRESHOLD_</c> and
/// <c>MALLOC_TRIM_THRESHOLD_</c> set: freed activations stay in the heap and the next batch reuses them.
/// </summary>
/// <remarks>
/// Process-wide (glibc's allocator serves the whole process), so only applications call it, once at start-up: the
/// <c>ecgclip</c> CLI does, a library never does on its own. A no-op with <see cref="AllocatorTuningResult.NotGlibc"/>
/// on Windows, macOS and musl. The cost is memory kept: the process's resident size stays at its peak activation
/// footprint instead of shrinking between batches.
/// </remarks>
public static partial class NativeAllocatorTuning
{
    /// <summary>The mmap and trim threshold <see cref="Apply"/> sets by default: 1 GiB.</summary>
    public const int DefaultThresholdBytes = 1 << 30;

    private const int MTrimThreshold = -1;
    private const int MMmapThreshold = -3;

    /// <summary>
    /// Sets glibc's <c>M_MMAP_THRESHOLD</c> and <c>M_TRIM_THRESHOLD</c> to <paramref name="thresholdBytes"/>, unless the
    /// environment already sets <c>MALLOC_MMAP_THRESHOLD_</c> (the user's choice wins).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="thresholdBytes"/> is not positive.</exception>
    public static AllocatorTuningResult Apply(int thresholdBytes = DefaultThresholdBytes, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(thresholdBytes);
        logger ??= NullLogger.Instance;
        if (!OperatingSystem.IsLinux()) return AllocatorTuningResult.NotGlibc;
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_")))
        {
            logger.LogDebug("MALLOC_MMAP_THRESHOLD_ is set in the environment; glibc's allocator left as configured");
            return AllocatorTuningResult.SetByEnvironment;
        }
        try
        {
            bool ok = mallopt(MMmapThreshold, thresholdBytes) == 1 & mallopt(MTrimThreshold, thresholdBytes) == 1;
            logger.LogDebug("glibc mallopt M_MMAP_THRESHOLD / M_TRIM_THRESHOLD = {Bytes}: {Result}", thresholdBytes, ok ? "applied" : "rejected");
            return ok ? AllocatorTuningResult.Applied : AllocatorTuningResult.Rejected;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            logger.LogDebug("no glibc mallopt ({Message}); allocator left as is", e.Message);
            return AllocatorTuningResult.NotGlibc;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int mallopt(int param, int value);
}

/// <summary>What <see cref="NativeAllocatorTuning.Apply"/> did.</summary>
public enum AllocatorTuningResult
{
    /// <summary>Both thresholds were set.</summary>
    Applied,
    /// <summary>The environment sets <c>MALLOC_MMAP_THRESHOLD_</c>; nothing was changed.</summary>
    SetByEnvironment,
    /// <summary>glibc refused a value.</summary>
    Rejected,
    /// <summary>Not a glibc platform (Windows, macOS, musl); nothing was changed.</summary>
    NotGlibc,
}
