using System.Collections.Concurrent;
using EcgClip.Signal.Datasets;
using static TorchSharp.torch;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// Frozen-encoder embeddings of dataset items, computed once per model and list of records and then reused (by every
/// fraction, seed and task set of that model, whatever label set the dataset was opened with). Inputs are read in batches by an <see cref="EcgInputLoader"/> and encoded
/// with <see cref="FrozenEncoderEmbeddings"/> (evaluation mode, no autograd), so weights and BatchNorm statistics stay as
/// they are. Thread-safe; one instance per evaluation session (no static state).
/// </summary>
public sealed class EmbeddingCache
{
    private readonly ConcurrentDictionary<string, FeatureMatrix> _cache = new(StringComparer.Ordinal);

    /// <summary>Number of cached matrices.</summary>
    public int Count => _cache.Count;

    /// <summary>Embeddings <c>[items, OutputDim]</c> of <paramref name="items"/>, computed on the first request.</summary>
    /// <param name="model">The model (its <see cref="EvaluationModel.CacheKey"/> identifies the weights).</param>
    /// <param name="dataset">The dataset the items come from.</param>
    /// <param name="items">The items, in the row order wanted.</param>
    /// <param name="options">Batch size, window, threads.</param>
    /// <param name="progress">Optional sink told the number of items encoded so far.</param>
    public FeatureMatrix GetOrCompute(EvaluationModel model, IEcgTextDataset dataset, IReadOnlyList<EcgTextItem> items,
        EmbeddingOptions options, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(options);
        if (items.Count == 0) throw new ArgumentException($"{dataset.Name}: no items to embed");
        string key = Key(model, items, options);
        if (_cache.TryGetValue(key, out var cached)) return cached;
        var computed = Compute(model, dataset, items, options, progress);
        return _cache.GetOrAdd(key, computed);
    }

    /// <summary>
    /// The cache key: the model's weights, the window and the records (their paths, in order) — not the labels, so the
    /// label sets of one data source (superdiagnostic, rhythm, age, …) share one computation.
    /// </summary>
    private static string Key(EvaluationModel model, IReadOnlyList<EcgTextItem> items, EmbeddingOptions options)
    {
        var text = string.Join('\n', items.Select(i => i.RecordPath + "\t" + i.Id));
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
        return $"{model.CacheKey}|{options.WindowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}|{items.Count}|{hash}";
    }

    /// <summary>Computes embeddings without caching.</summary>
    public static FeatureMatrix Compute(EvaluationModel model, IEcgTextDataset dataset, IReadOnlyList<EcgTextItem> items,
        EmbeddingOptions options, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var loader = new EcgInputLoader(dataset, model.Encoder.Leads, model.Encoder.SamplingRate, model.Preprocessing, options.WindowSeconds, options.Threads);
        return FrozenEncoderEmbeddings.Compute(model.Encoder, Batches(loader, items, options.BatchSize, DeviceOf(model.Encoder.Module), progress));
    }

    /// <summary>The device of a module's first parameter (CPU for a module without parameters).</summary>
    internal static Device DeviceOf(TorchSharp.torch.nn.Module module) =>
        module.parameters().FirstOrDefault()?.device ?? CPU;

    /// <summary>Input batches <c>[b, leads, samples]</c>; each is disposed when the next is requested (and at the end).</summary>
    internal static IEnumerable<Tensor> Batches(EcgInputLoader loader, IReadOnlyList<EcgTextItem> items, int batchSize, Device device, IProgress<int>? progress)
    {
        Tensor? previous = null;
        try
        {
            for (int start = 0; start < items.Count; start += batchSize)
            {
                int count = Math.Min(batchSize, items.Count - start);
                var chunk = new EcgTextItem[count];
                for (int i = 0; i < count; i++) chunk[i] = items[start + i];
                var data = loader.Load(chunk);
                previous?.Dispose();
                using (var scope = NewDisposeScope())
                    previous = tensor(data, [count, loader.Leads, loader.Samples]).to(device).MoveToOuterDisposeScope();
                yield return previous;
                progress?.Report(start + count);
            }
        }
        finally
        {
            previous?.Dispose();
        }
    }
}

/// <summary>How inputs are batched and cut for embedding.</summary>
/// <param name="BatchSize">Records per forward pass (≥ 1).</param>
/// <param name="WindowSeconds">Window fed to the encoder (s), from the start of each record.</param>
/// <param name="Threads">Records read and preprocessed in parallel (≥ 1).</param>
public sealed record EmbeddingOptions(int BatchSize = 64, double WindowSeconds = 10, int Threads = 1);
