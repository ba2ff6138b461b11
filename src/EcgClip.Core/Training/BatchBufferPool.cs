namespace EcgClip.Core.Training;

/// <summary>
/// A bounded pool of equally long <c>float[]</c> signal buffers for the batches of one <see cref="PairedBatchLoader"/>:
/// a batch's raw signals and views are rented here and come back when the trainer disposes the batch, so a long run
/// stops putting fresh large arrays on the large-object heap every step (each is <c>batch × 12 × samples</c> floats,
/// 384 KB for 8 × 12 × 1000). At most <see cref="Capacity"/> returned buffers are kept; a rent that finds none
/// allocates, so a consumer that never returns its batches costs allocations, never a deadlock. Thread-safe.
/// </summary>
/// <remarks>
/// A returned buffer is filled with NaN before it is kept: code that held on to a buffer past its batch's disposal
/// reads NaN (and a NaN loss), never another batch's signals.
/// </remarks>
internal sealed class BatchBufferPool
{
    private readonly Stack<float[]> _free;
    private readonly Lock _lock = new();
    private long _allocated;

    /// <summary>Creates a pool of buffers of <paramref name="arrayLength"/> floats keeping at most <paramref name="capacity"/> of them.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public BatchBufferPool(int arrayLength, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(arrayLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArrayLength = arrayLength;
        Capacity = capacity;
        _free = new Stack<float[]>(capacity);
    }

    /// <summary>Floats per buffer.</summary>
    public int ArrayLength { get; }

    /// <summary>Most buffers kept for reuse.</summary>
    public int Capacity { get; }

    /// <summary>Buffers allocated so far (rents that found the pool empty).</summary>
    public long Allocated => Interlocked.Read(ref _allocated);

    /// <summary>Buffers waiting in the pool.</summary>
    public int Free
    {
        get { lock (_lock) return _free.Count; }
    }

    /// <summary>A buffer of <see cref="ArrayLength"/> floats with unspecified contents (a returned one, or a new one).</summary>
    public float[] Rent()
    {
        lock (_lock)
        {
            if (_free.TryPop(out var array)) return array;
        }
        Interlocked.Increment(ref _allocated);
        return new float[ArrayLength];
    }

    /// <summary>Takes <paramref name="array"/> back (filled with NaN) unless the pool is full; the caller must not use it again.</summary>
    /// <exception cref="ArgumentException">The buffer is not one of this pool's length.</exception>
    /// <exception cref="InvalidOperationException">The buffer is already in the pool (returned twice).</exception>
    public void Return(float[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Length != ArrayLength) throw new ArgumentException($"a buffer of {array.Length} floats returned to a pool of {ArrayLength}-float buffers");
        lock (_lock)
        {
            foreach (var free in _free)
                if (ReferenceEquals(free, array)) throw new InvalidOperationException("a batch buffer was returned twice");
        }
        array.AsSpan().Fill(float.NaN);
        lock (_lock)
        {
            if (_free.Count < Capacity) _free.Push(array);
        }
    }
}
