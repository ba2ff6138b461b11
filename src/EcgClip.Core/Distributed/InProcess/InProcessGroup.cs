namespace EcgClip.Core.Distributed.InProcess;

/// <summary>
/// A group of <see cref="WorldSize"/> ranks living as threads of one process, for tests of distributed code without
/// MPI: create the group, hand <see cref="Backend"/>(r) to the thread playing rank r, and run the same code on every
/// thread. Collectives exchange copies through shared slots and two barriers; sums run in rank order, so all ranks get
/// bit-identical results (as MPI gives). A rank that does not join within the timeout fails the collective with
/// <see cref="CollectiveTimeoutException"/>.
/// </summary>
public sealed class InProcessGroup : IDisposable
{
    private readonly Barrier _barrier;
    private readonly byte[]?[] _slots;
    private readonly InProcessBackend[] _backends;

    /// <summary>Creates a group of <paramref name="worldSize"/> ranks (at least 1).</summary>
    public InProcessGroup(int worldSize, TimeSpan? timeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        WorldSize = worldSize;
        Timeout = timeout ?? TimeSpan.FromSeconds(30);
        _barrier = new Barrier(worldSize);
        _slots = new byte[]?[worldSize];
        _backends = Enumerable.Range(0, worldSize).Select(r => new InProcessBackend(this, r)).ToArray();
    }

    /// <summary>Number of ranks.</summary>
    public int WorldSize { get; }

    /// <summary>How long a rank waits for the others in one collective.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The backend for rank <paramref name="rank"/>.</summary>
    public IDistributedBackend Backend(int rank)
    {
        TensorBuffer.CheckRoot(rank, WorldSize);
        return _backends[rank];
    }

    /// <summary>
    /// Runs <paramref name="body"/> on one thread per rank and returns the results in rank order; an exception on any
    /// rank is rethrown (as an <see cref="AggregateException"/>) once every thread has ended.
    /// </summary>
    public T[] Run<T>(Func<IDistributedBackend, T> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var results = new T[WorldSize];
        var errors = new Exception?[WorldSize];
        var threads = Enumerable.Range(0, WorldSize).Select(r => new Thread(() =>
        {
            try { results[r] = body(_backends[r]); }
            catch (Exception e) { errors[r] = e; }
        }, 16 << 20) { IsBackground = true, Name = $"rank {r}" }).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        var failed = errors.Where(e => e is not null).Cast<Exception>().ToArray();
        if (failed.Length > 0) throw new AggregateException("a rank failed", failed);
        return results;
    }

    /// <summary>
    /// One collective step: every rank deposits <paramref name="contribution"/>, all ranks wait, <paramref name="read"/>
    /// sees every rank's contribution (in rank order), all ranks wait again so the slots can be reused.
    /// </summary>
    internal void Exchange(int rank, string operation, byte[] contribution, Action<byte[][]> read)
    {
        _slots[rank] = contribution;
        Wait(rank, operation);
        read(_slots.Select(s => s!).ToArray());
        Wait(rank, operation);
    }

    private void Wait(int rank, string operation)
    {
        bool joined;
        try
        {
            joined = _barrier.SignalAndWait(Timeout);
        }
        catch (BarrierPostPhaseException e)
        {
            throw new DistributedException($"{operation} on rank {rank} failed: {e.Message}", e);
        }
        if (!joined)
        {
            _barrier.RemoveParticipant(); // the stuck peers then stop waiting for this rank, or fail themselves
            throw new CollectiveTimeoutException(operation, rank, WorldSize, Timeout);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _barrier.Dispose();
}
