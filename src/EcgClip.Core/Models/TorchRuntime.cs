using EcgClip.Core.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;

namespace EcgClip.Core.Models;

/// <summary>
/// The process-wide libtorch settings, applied once (a DI singleton): the intra-op thread count. Seeds are not set
/// here but per model creation and per training step, so that results do not depend on call order.
/// </summary>
public sealed class TorchRuntime
{
    private readonly object _gate = new();
    private readonly ILogger _logger;
    private int? _threads;

    /// <summary>Creates the runtime holder (nothing is applied until <see cref="EnsureThreads"/>).</summary>
    public TorchRuntime(ILogger<TorchRuntime>? logger = null) => _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>The thread count applied, or null when none was applied yet.</summary>
    public int? Threads { get { lock (_gate) return _threads; } }

    /// <summary>Loads libtorch and sets its intra-op thread count (≥ 1); a repeated call with the same count does nothing.</summary>
    public void EnsureThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        lock (_gate)
        {
            if (_threads == threads) return;
            TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
            torch.set_num_threads(threads);
            _threads = threads;
            _logger.LogDebug("libtorch intra-op threads set to {Threads}", threads);
        }
    }
}
