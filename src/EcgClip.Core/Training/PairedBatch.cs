using EcgClip.Signal.Datasets;
using static TorchSharp.torch;

namespace EcgClip.Core.Training;

/// <summary>
/// One batch of ECG–report pairs ready for the model: preprocessed (and, in training, augmented) signals, row-major
/// <c>[Count, Leads, Samples]</c> per view, with the reports and their shared-positive groups.
/// </summary>
/// <remarks>
/// The signal buffers are rented from the loader's pool: dispose the batch once its views are in tensors
/// (<see cref="ViewTensor"/> copies), and the buffers go back for a later batch. After <see cref="Dispose"/>,
/// <see cref="View"/> and <see cref="ViewTensor"/> throw <see cref="ObjectDisposedException"/>; the reports, items and
/// groups stay readable.
/// </remarks>
public sealed class PairedBatch : IDisposable
{
    private float[][]? _views;
    private readonly BatchBufferPool? _pool;

    /// <summary>Creates a batch over <paramref name="views"/>; with <paramref name="pool"/>, disposing returns the buffers to it.</summary>
    /// <exception cref="ArgumentException">A view buffer is shorter than <c>items × leads × samples</c> floats.</exception>
    internal PairedBatch(IReadOnlyList<EcgTextItem> items, float[][] views, int leads, int samples, IReadOnlyList<string> reports,
        IReadOnlyList<string> normalizedReports, long[] groups, int epoch, int index, BatchBufferPool? pool = null)
    {
        Items = items;
        Leads = leads;
        Samples = samples;
        Reports = reports;
        NormalizedReports = normalizedReports;
        Groups = groups;
        Epoch = epoch;
        Index = index;
        foreach (var v in views)
            if (v.Length < items.Count * leads * samples) throw new ArgumentException($"a view of {v.Length} floats for {items.Count} × {leads} × {samples}");
        _views = views;
        _pool = pool;
    }

    /// <summary>The dataset items of the rows (skipped records are absent).</summary>
    public IReadOnlyList<EcgTextItem> Items { get; }
    /// <summary>Leads per record.</summary>
    public int Leads { get; }
    /// <summary>Samples per lead.</summary>
    public int Samples { get; }
    /// <summary>The raw reports.</summary>
    public IReadOnlyList<string> Reports { get; }
    /// <summary>The normalised reports.</summary>
    public IReadOnlyList<string> NormalizedReports { get; }
    /// <summary>Per row, a group id shared by rows with the same normalised report.</summary>
    public long[] Groups { get; }
    /// <summary>Epoch the batch belongs to.</summary>
    public int Epoch { get; }
    /// <summary>Index of the batch within its epoch.</summary>
    public int Index { get; }

    /// <summary>Rows in the batch.</summary>
    public int Count => Items.Count;

    /// <summary>ECG views per row (1 or 2).</summary>
    public int ViewCount => (_views ?? throw Disposed()).Length;

    /// <summary>Whether the batch was disposed (its signal buffers returned).</summary>
    public bool IsDisposed => _views is null;

    /// <summary>View <paramref name="view"/>: <c>Count × Leads × Samples</c> floats, row-major.</summary>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    public ReadOnlySpan<float> View(int view) => (_views ?? throw Disposed())[view].AsSpan(0, Count * Leads * Samples);

    /// <summary>View <paramref name="view"/> copied into a new float32 tensor <c>[Count, Leads, Samples]</c> (the batch may be disposed afterwards).</summary>
    /// <exception cref="ObjectDisposedException">The batch was disposed.</exception>
    public Tensor ViewTensor(int view)
    {
        var source = View(view);
        var x = empty([Count, Leads, Samples], ScalarType.Float32);
        if (source.IsEmpty) return x;
        source.CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(x.bytes));
        return x;
    }

    /// <summary>Returns the signal buffers to the loader's pool (once; later calls do nothing).</summary>
    public void Dispose()
    {
        var views = Interlocked.Exchange(ref _views, null);
        if (views is null || _pool is null) return;
        foreach (var v in views) _pool.Return(v);
    }

    private ObjectDisposedException Disposed() => new(nameof(PairedBatch), $"batch {Index} of epoch {Epoch} was disposed: its signal buffers went back to the loader's pool");
}
