using EcgClip.Core.Abstractions;
using EcgClip.Text.Tokenization;
using static TorchSharp.torch;

namespace EcgClip.Text.Caching;

/// <summary>
/// A bounded, thread-safe least-recently-used cache of report embeddings keyed by the <em>normalised</em> report
/// text (reports repeat heavily: PTB-XL's 1,999 reports have about 1,000 distinct texts). Valid only while the text
/// tower is frozen; create one cache per frozen encoder and <see cref="Clear"/> it whenever its weights change.
/// Embeddings are kept as managed <c>float[]</c>, so the cache holds no native memory.
/// </summary>
public sealed class TextEmbeddingCache
{
    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, float[] Value)>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, float[] Value)> _lru = new();
    private long _hits;
    private long _misses;

    /// <summary>Creates a cache holding at most <paramref name="capacity"/> embeddings.</summary>
    public TextEmbeddingCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>Maximum number of entries.</summary>
    public int Capacity { get; }

    /// <summary>Current number of entries.</summary>
    public int Count { get { lock (_gate) return _map.Count; } }

    /// <summary>Look-ups that found an entry.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Look-ups that did not.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Looks up <paramref name="normalizedText"/>, marking it most recently used. The array must not be modified.</summary>
    public bool TryGet(string normalizedText, out float[] embedding)
    {
        ArgumentNullException.ThrowIfNull(normalizedText);
        lock (_gate)
        {
            if (_map.TryGetValue(normalizedText, out var node))
            {
                _lru.Remove(node);
                _lru.AddFirst(node);
                embedding = node.Value.Value;
                _hits++;
                return true;
            }
            _misses++;
        }
        embedding = [];
        return false;
    }

    /// <summary>Stores (or replaces) an embedding, evicting the least recently used entry when full.</summary>
    public void Set(string normalizedText, float[] embedding)
    {
        ArgumentNullException.ThrowIfNull(normalizedText);
        ArgumentNullException.ThrowIfNull(embedding);
        lock (_gate)
        {
            if (_map.TryGetValue(normalizedText, out var existing))
            {
                _lru.Remove(existing);
                _map.Remove(normalizedText);
            }
            var node = _lru.AddFirst((normalizedText, embedding));
            _map[normalizedText] = node;
            while (_map.Count > Capacity)
            {
                var last = _lru.Last!;
                _lru.RemoveLast();
                _map.Remove(last.Value.Key);
            }
        }
    }

    /// <summary>Removes every entry (call after the encoder's weights change).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _map.Clear();
            _lru.Clear();
        }
    }

    /// <summary>
    /// Embeds <paramref name="reports"/> (<c>[count, encoder.OutputDim]</c>, float32, a new tensor owned by the
    /// caller): cached texts are copied, the distinct uncached ones are tokenised and encoded in one batch under
    /// <c>no_grad</c> and then cached.
    /// </summary>
    /// <exception cref="InvalidOperationException">The encoder has trainable parameters (its embeddings would go stale).</exception>
    public Tensor Encode(IReadOnlyList<string?> reports, ReportTokenizer tokenizer, ITextEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(encoder);
        if (encoder.Module.parameters().Any(p => p.requires_grad))
            throw new InvalidOperationException("the text embedding cache needs a frozen text tower (some parameters still require gradients)");

        var keys = reports.Select(tokenizer.PrepareText).ToArray();
        var rows = new float[keys.Length][];
        var pending = new List<string>();
        var pendingSet = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < keys.Length; i++)
        {
            if (TryGet(keys[i], out var cached)) rows[i] = cached;
            else if (pendingSet.Add(keys[i])) pending.Add(keys[i]);
        }
        if (pending.Count > 0)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var batch = tokenizer.EncodeBatch(pending, Math.Min(tokenizer.Config.MaxLength, encoder.MaxLength), padToMaxLength: false, alreadyNormalized: true);
            var (ids, mask) = batch.ToTensors();
            var embedded = encoder.Encode(ids, mask).to_type(ScalarType.Float32).cpu().contiguous();
            var flat = embedded.data<float>().ToArray();
            int dim = encoder.OutputDim;
            var fresh = new Dictionary<string, float[]>(StringComparer.Ordinal);
            for (int j = 0; j < pending.Count; j++)
            {
                var row = flat.AsSpan(j * dim, dim).ToArray();
                fresh[pending[j]] = row;
                Set(pending[j], row);
            }
            for (int i = 0; i < keys.Length; i++) rows[i] ??= fresh[keys[i]];
        }
        int width = encoder.OutputDim;
        var result = new float[keys.Length * width];
        for (int i = 0; i < keys.Length; i++) rows[i].AsSpan().CopyTo(result.AsSpan(i * width, width));
        return tensor(result, [keys.Length, width], ScalarType.Float32);
    }
}
