using System.Collections.Concurrent;
using System.Diagnostics;
using EcgClip.Signal.Datasets;
using EcgClip.Signal.Dsp.Augmentation;
using EcgClip.Signal.Dsp.Preprocessing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EcgClip.Core.Training;

/// <summary>Settings of a <see cref="PairedBatchLoader"/>.</summary>
public sealed record PairedLoaderOptions
{
    /// <summary>Pairs per batch.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Samples per lead after preprocessing (longer records are cut, shorter ones zero-padded).</summary>
    public required int SampleLength { get; init; }
    /// <summary>ECG views per pair (1 or 2); each view draws its own augmentation.</summary>
    public int Views { get; init; } = 1;
    /// <summary>Shuffle the order each epoch (seeded) and drop the last incomplete batch (training); false keeps source order and every record.</summary>
    public bool Shuffle { get; init; } = true;
    /// <summary>Seed of the order and the augmentation.</summary>
    public long Seed { get; init; }
    /// <summary>Worker threads preparing records.</summary>
    public int Workers { get; init; } = 1;
    /// <summary>Batches prepared ahead.</summary>
    public int Prefetch { get; init; } = 2;
    /// <summary>Keep preprocessed records in memory across epochs (preprocessing is deterministic). Default true.</summary>
    public bool CacheRecords { get; init; } = true;
}

/// <summary>
/// Pairs each ECG with its report and prepares batches: reads the record, applies the model's preprocessing pipeline,
/// fixes the length, then (training) applies the seeded augmentation per view, on worker threads with bounded
/// prefetch. The order is a seeded permutation per epoch, so batch (epoch, index) is the same in every run and after
/// a resume. A record that cannot be read or preprocessed is skipped, logged once with its reason in
/// <see cref="Skipped"/>, and training continues with the rest of the batch.
/// </summary>
public sealed class PairedBatchLoader
{
    private readonly IEcgTextDataset _dataset;
    private readonly IReadOnlyList<EcgTextItem> _items;
    private readonly PreprocessingPipeline _pipeline;
    private readonly EcgAugmenter? _augmenter;
    private readonly Func<string, string> _normalize;
    private readonly PairedLoaderOptions _options;
    private readonly ConcurrentDictionary<int, float[]> _cache = new();
    private readonly string?[] _normalized;
    private readonly BatchBufferPool _buffers;
    private readonly ILogger _logger;
    private const int Leads = 12;
    private long _recordsPrepared;
    private long _prepareTicks;

    /// <summary>Creates a loader over <paramref name="items"/> of <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The data set (reads records).</param>
    /// <param name="items">The items of one split.</param>
    /// <param name="pipeline">The model's preprocessing.</param>
    /// <param name="augmenter">Augmentation (training), or null.</param>
    /// <param name="normalize">The report normaliser (groups identical reports).</param>
    /// <param name="options">Batch size, length, views, order, workers.</param>
    /// <param name="skipped">Where skipped records are listed (shared by the run's loaders).</param>
    /// <param name="logger">Logger.</param>
    public PairedBatchLoader(IEcgTextDataset dataset, IReadOnlyList<EcgTextItem> items, PreprocessingPipeline pipeline, EcgAugmenter? augmenter,
        Func<string, string> normalize, PairedLoaderOptions options, SkippedRecordLog skipped, ILogger? logger = null)
    {
        _dataset = dataset ?? throw new ArgumentNullException(nameof(dataset));
        _items = items ?? throw new ArgumentNullException(nameof(items));
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        _augmenter = augmenter;
        _normalize = normalize ?? throw new ArgumentNullException(nameof(normalize));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        Skipped = skipped ?? throw new ArgumentNullException(nameof(skipped));
        _logger = logger ?? NullLogger.Instance;
        if (options.BatchSize < 1) throw new ArgumentException($"batch size must be positive, got {options.BatchSize}");
        if (options.Views is not (1 or 2)) throw new ArgumentException($"views must be 1 or 2, got {options.Views}");
        if (options.SampleLength < 1) throw new ArgumentException($"sample length must be positive, got {options.SampleLength}");
        if (augmenter is not null && augmenter.OutputLength(options.SampleLength) != options.SampleLength)
            throw new ArgumentException("the augmentation must keep the sample length (crop to sampleLength or not at all)");
        _normalized = new string?[items.Count];
        // Live at once: the batch the trainer holds plus Prefetch being prepared, each with its views and (augmenting) the raw signals.
        _buffers = new BatchBufferPool(options.BatchSize * Leads * options.SampleLength, (Math.Max(0, options.Prefetch) + 1) * (options.Views + 1));
    }

    /// <summary>The pool the batches' signal buffers come from (tests check that a run stops allocating).</summary>
    internal BatchBufferPool Buffers => _buffers;

    /// <summary>The skipped records (shared log).</summary>
    public SkippedRecordLog Skipped { get; }

    /// <summary>Items in the split.</summary>
    public int ItemCount => _items.Count;

    /// <summary>ECGs per batch (the last batch of an unshuffled pass may hold fewer).</summary>
    public int BatchSize => _options.BatchSize;

    /// <summary>Batches per epoch (training drops the last incomplete batch).</summary>
    public int BatchesPerEpoch => _options.Shuffle ? _items.Count / _options.BatchSize : (_items.Count + _options.BatchSize - 1) / _options.BatchSize;

    /// <summary>Records read and preprocessed per second of worker time so far (cache hits excluded); NaN before any.</summary>
    public double RecordsPerSecond
    {
        get
        {
            long n = Interlocked.Read(ref _recordsPrepared), ticks = Interlocked.Read(ref _prepareTicks);
            return n == 0 || ticks == 0 ? double.NaN : n / (ticks / (double)Stopwatch.Frequency);
        }
    }

    /// <summary>The item order of <paramref name="epoch"/>: a seeded permutation (training) or the source order.</summary>
    public int[] Order(int epoch)
    {
        var order = Enumerable.Range(0, _items.Count).ToArray();
        if (_options.Shuffle) new Random(unchecked((int)(_options.Seed * 1_000_003 + epoch * 7919 + 17))).Shuffle(order);
        return order;
    }

    /// <summary>
    /// The batches of <paramref name="epoch"/> from batch <paramref name="firstBatch"/> on, prepared ahead on the
    /// workers. Enumerate on one thread and dispose each batch once its views are in tensors: its signal buffers go back
    /// to the loader's pool for the batches after it. Stopping early disposes the prefetched batches.
    /// </summary>
    public IEnumerable<PairedBatch> Batches(int epoch, int firstBatch = 0, CancellationToken cancellationToken = default)
    {
        var order = Order(epoch);
        int count = BatchesPerEpoch;
        var pending = new Queue<Task<PairedBatch>>();
        int next = firstBatch;
        try
        {
            while (next < count && pending.Count < _options.Prefetch) pending.Enqueue(Start(order, epoch, next++, cancellationToken));
            while (pending.Count > 0)
            {
                var batch = pending.Dequeue().GetAwaiter().GetResult();
                if (next < count) pending.Enqueue(Start(order, epoch, next++, cancellationToken));
                if (batch.Count > 0) yield return batch;
                else batch.Dispose();
            }
        }
        finally
        {
            // Stopped early: the prefetched batches give their buffers back once their workers finish.
            foreach (var task in pending) _ = task.ContinueWith(static t => { if (t.IsCompletedSuccessfully) t.Result.Dispose(); }, TaskScheduler.Default);
        }
    }

    private Task<PairedBatch> Start(int[] order, int epoch, int index, CancellationToken ct) =>
        Task.Run(() => Prepare(order, epoch, index, ct), ct);

    /// <summary>Prepares batch <paramref name="index"/> of <paramref name="epoch"/> synchronously (dispose it when done).</summary>
    public PairedBatch Prepare(int epoch, int index) => Prepare(Order(epoch), epoch, index, CancellationToken.None);

    private PairedBatch Prepare(int[] order, int epoch, int index, CancellationToken ct)
    {
        int start = index * _options.BatchSize, end = Math.Min(order.Length, start + _options.BatchSize);
        int n = Math.Max(0, end - start), length = _options.SampleLength, size = Leads * length;
        var signals = new float[]?[n];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.Workers, CancellationToken = ct };
        Parallel.For(0, n, parallel, i => signals[i] = Signal(order[start + i]));
        int rows = 0;
        foreach (var s in signals) if (s is not null) rows++;
        var items = new EcgTextItem[rows];
        var reports = new string[rows];
        var normalized = new string[rows];
        var raw = _buffers.Rent();
        for (int i = 0, r = 0; i < n; i++)
        {
            if (signals[i] is not { } signal) continue;
            int item = order[start + i];
            items[r] = _items[item];
            reports[r] = items[r].Report ?? "";
            normalized[r] = _normalized[item] ??= _normalize(reports[r]); // the normaliser is deterministic: once per item
            signal.CopyTo(raw, r * size);
            r++;
        }
        var views = new float[_options.Views][];
        if (_augmenter is null)
        {
            views[0] = raw;
            for (int v = 1; v < views.Length; v++) raw.AsSpan(0, rows * size).CopyTo(views[v] = _buffers.Rent());
        }
        else
        {
            for (int v = 0; v < views.Length; v++)
            {
                views[v] = _buffers.Rent();
                ulong seed = unchecked((ulong)_options.Seed * 0x9E3779B97F4A7C15UL ^ ((ulong)epoch << 40) ^ ((ulong)index << 8) ^ (ulong)v);
                _augmenter.Apply(raw.AsSpan(0, rows * size), views[v].AsSpan(0, rows * size), rows, Leads, length, seed, Math.Max(1, Math.Min(_options.Workers, rows)));
            }
            _buffers.Return(raw);
        }
        var groupOf = new Dictionary<string, long>(StringComparer.Ordinal);
        var groups = new long[rows];
        for (int r = 0; r < rows; r++) groups[r] = groupOf.TryGetValue(normalized[r], out long g) ? g : groupOf[normalized[r]] = groupOf.Count;
        return new PairedBatch(items, views, Leads, length, reports, normalized, groups, epoch, index, _buffers);
    }

    private float[]? Signal(int itemIndex)
    {
        if (_cache.TryGetValue(itemIndex, out var cached)) return cached;
        var item = _items[itemIndex];
        if (Skipped.Contains(item.Id)) return null;
        long t0 = Stopwatch.GetTimestamp();
        try
        {
            var record = _dataset.LoadRecord(item);
            if (record.Channels.Count != Leads) throw new InvalidDataException($"expected {Leads} leads, found {record.Channels.Count}");
            var processed = _pipeline.Process(record);
            int length = _options.SampleLength;
            var result = new float[Leads * length];
            for (int l = 0; l < Leads; l++)
            {
                var lead = processed[l];
                int copy = Math.Min(length, lead.Length);
                for (int s = 0; s < copy; s++)
                {
                    float value = (float)lead[s];
                    if (!float.IsFinite(value)) throw new InvalidDataException($"non-finite sample after preprocessing (lead {l}, sample {s})");
                    result[l * length + s] = value;
                }
            }
            if (_options.CacheRecords) _cache[itemIndex] = result;
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            if (Skipped.Add(new SkippedRecord(item.Id, item.RecordPath, ex.Message)))
                _logger.LogWarning("skipping record {Id} ({Path}): {Reason}", item.Id, item.RecordPath, ex.Message);
            return null;
        }
        finally
        {
            Interlocked.Increment(ref _recordsPrepared);
            Interlocked.Add(ref _prepareTicks, Stopwatch.GetTimestamp() - t0);
        }
    }
}
