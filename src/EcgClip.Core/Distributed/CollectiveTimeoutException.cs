namespace EcgClip.Core.Distributed;

/// <summary>
/// A collective did not complete within the watchdog timeout: a peer died, hangs, or took a different code path.
/// The backend is then faulted; call <see cref="IDistributedBackend.Abort"/> (or dispose it) to end the job.
/// </summary>
public sealed class CollectiveTimeoutException : DistributedException
{
    /// <summary>Creates the exception for <paramref name="operation"/> on <paramref name="rank"/>.</summary>
    public CollectiveTimeoutException(string operation, int rank, int worldSize, TimeSpan timeout)
        : base($"{operation} on rank {rank} of {worldSize} did not complete within {timeout.TotalSeconds:0.#} s: a peer rank died, hangs, "
               + "or skipped the collective. The job is aborted so that no rank waits forever (raise DistributedOptions.CollectiveTimeoutSeconds for slow steps).")
    {
        Operation = operation;
        Rank = rank;
        Timeout = timeout;
    }

    /// <summary>The collective that timed out (e.g. "AllReduceSum(float32 × 1024)").</summary>
    public string Operation { get; }

    /// <summary>The rank that observed the timeout.</summary>
    public int Rank { get; }

    /// <summary>The timeout that elapsed.</summary>
    public TimeSpan Timeout { get; }
}
