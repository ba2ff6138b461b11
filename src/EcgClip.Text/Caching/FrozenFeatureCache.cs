using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Text.Caching;

/// <summary>
/// Caches the output of a frozen text body (e.g. a fully frozen BERT up to its pooling input) per report, so each
/// distinct report runs through the frozen part once; later batches take the stored features and only the trainable
/// head (pooler, projection) runs. Rows are keyed by their unpadded token ids, which the tokenizer derives from the
/// normalised report text alone: one key per distinct normalised report (texts that tokenise identically share one).
/// Storage is a bounded LRU <see cref="TextEmbeddingCache"/> of managed <c>float[]</c> (no native memory).
/// </summary>
/// <remarks>
/// Valid only while the body's weights do not change: the owner calls <see cref="Clear"/> when it loads or unfreezes
/// weights. Thread-safe.
/// </remarks>
public sealed class FrozenFeatureCache
{
    private readonly TextEmbeddingCache _store;
    private long _rowsEncoded;

    /// <summary>Creates a cache of at most <paramref name="capacity"/> reports.</summary>
    public FrozenFeatureCache(int capacity) => _store = new TextEmbeddingCache(capacity);

    /// <summary>Maximum number of cached reports.</summary>
    public int Capacity => _store.Capacity;

    /// <summary>Cached reports.</summary>
    public int Count => _store.Count;

    /// <summary>Rows served from the cache.</summary>
    public long Hits => _store.Hits;

    /// <summary>Rows not found (a report repeated inside one batch counts once per row, but is encoded once).</summary>
    public long Misses => _store.Misses;

    /// <summary>Rows actually run through the frozen body (each distinct uncached report of a batch once).</summary>
    public long RowsEncoded => Interlocked.Read(ref _rowsEncoded);

    /// <summary>Drops every entry (after the body's weights change); the counters keep counting.</summary>
    public void Clear() => _store.Clear();

    /// <summary>
    /// Features <c>[batch, width]</c> (float32, on <paramref name="inputIds"/>' device, no gradient; a new tensor owned by
    /// the caller) of a right-padded batch. Rows whose tokens are cached are copied; the distinct others are gathered
    /// into one sub-batch (trimmed to its longest row) and passed to <paramref name="body"/> under <c>no_grad</c>, which
    /// must return <c>[rows, <paramref name="featureDim"/>]</c>.
    /// </summary>
    public Tensor GetOrEncode(Tensor inputIds, Tensor attentionMask, int featureDim, Func<Tensor, Tensor, Tensor> body)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(attentionMask);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureDim, 1);
        int batch = (int)inputIds.shape[0];
        int width = (int)inputIds.shape[1];
        long[] ids, mask;
        using (var cpuIds = inputIds.to_type(ScalarType.Int64).cpu().contiguous()) ids = cpuIds.data<long>().ToArray();
        using (var cpuMask = attentionMask.to_type(ScalarType.Int64).cpu().contiguous()) mask = cpuMask.data<long>().ToArray();

        var keys = new string[batch];
        var lengths = new int[batch];
        var rows = new float[batch][];
        var pending = new List<int>(); // first row of each distinct uncached key
        var pendingKeys = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < batch; i++)
        {
            int n = 0;
            for (int j = 0; j < width; j++) n += mask[i * width + j] != 0 ? 1 : 0;
            lengths[i] = n;
            keys[i] = Key(ids.AsSpan(i * width, n));
            if (_store.TryGet(keys[i], out var cached)) rows[i] = cached;
            else if (pendingKeys.Add(keys[i])) pending.Add(i);
        }
        if (pending.Count > 0)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            int longest = Math.Max(1, pending.Max(i => lengths[i]));
            var subIds = new long[pending.Count * longest];
            var subMask = new long[pending.Count * longest];
            for (int r = 0; r < pending.Count; r++)
            {
                int i = pending[r];
                ids.AsSpan(i * width, longest).CopyTo(subIds.AsSpan(r * longest, longest));
                mask.AsSpan(i * width, longest).CopyTo(subMask.AsSpan(r * longest, longest));
            }
            var features = body(tensor(subIds, [pending.Count, longest]).to(inputIds.device), tensor(subMask, [pending.Count, longest]).to(inputIds.device))
                .to_type(ScalarType.Float32).cpu().contiguous();
            if (features.dim() != 2 || features.shape[0] != pending.Count || features.shape[1] != featureDim)
                throw new InvalidOperationException($"the frozen body returned [{string.Join(", ", features.shape)}], expected [{pending.Count}, {featureDim}]");
            int dim = featureDim;
            var flat = features.data<float>().ToArray();
            var fresh = new Dictionary<string, float[]>(StringComparer.Ordinal);
            for (int r = 0; r < pending.Count; r++)
            {
                var row = flat.AsSpan(r * dim, dim).ToArray();
                fresh[keys[pending[r]]] = row;
                _store.Set(keys[pending[r]], row);
            }
            Interlocked.Add(ref _rowsEncoded, pending.Count);
            for (int i = 0; i < batch; i++) rows[i] ??= fresh[keys[i]];
        }
        var result = new float[batch * featureDim];
        for (int i = 0; i < batch; i++) rows[i].AsSpan().CopyTo(result.AsSpan(i * featureDim, featureDim));
        var host = tensor(result, [batch, featureDim], ScalarType.Float32);
        if (inputIds.device.type == DeviceType.CPU) return host;
        using (host) return host.to(inputIds.device);
    }

    private static string Key(ReadOnlySpan<long> tokens)
    {
        var sb = new StringBuilder(tokens.Length * 5);
        foreach (long t in tokens) sb.Append(t).Append(' ');
        return sb.ToString();
    }
}
