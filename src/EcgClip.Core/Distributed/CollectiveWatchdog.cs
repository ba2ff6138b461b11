using System.Diagnostics;

namespace EcgClip.Core.Distributed;

/// <summary>
/// Bounds the time a collective may take. A backend starts a non-blocking collective and hands its completion test to
/// <see cref="Wait"/>, which polls it (briefly spinning, then sleeping 1 ms between tests so that waiting ranks leave
/// the cores to the others) until it completes or <see cref="Timeout"/> elapses; then it throws
/// <see cref="CollectiveTimeoutException"/> and the job can be aborted instead of hanging on a dead or stuck peer.
/// </summary>
public sealed class CollectiveWatchdog
{
    private const int SpinTests = 200;

    /// <summary>Creates a watchdog with the given timeout (positive).</summary>
    public CollectiveWatchdog(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "the collective timeout must be positive");
        Timeout = timeout;
    }

    /// <summary>The longest a collective may take on one rank, from entering it to completion.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>
    /// Polls <paramref name="completed"/> until it returns true; throws <see cref="CollectiveTimeoutException"/> naming
    /// <paramref name="operation"/> when the timeout elapses first. Exceptions thrown by the poll propagate.
    /// </summary>
    public void Wait(string operation, int rank, int worldSize, Func<bool> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        long start = Stopwatch.GetTimestamp();
        for (int tests = 0; ; tests++)
        {
            if (completed()) return;
            if (Stopwatch.GetElapsedTime(start) > Timeout) throw new CollectiveTimeoutException(operation, rank, worldSize, Timeout);
            if (tests < SpinTests) Thread.SpinWait(20);
            else Thread.Sleep(1);
        }
    }
}
