using EcgClip.Core.Abstractions;
using EcgClip.Signal.Dsp.Preprocessing;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// What an evaluation scores: an ECG encoder, the preprocessing it was trained with, and optionally its text tower.
/// Owns (and disposes) the encoder and the text tower, or, when an owner is given (e.g. a checkpoint bundle whose model
/// holds both towers), that owner only.
/// </summary>
public sealed class EvaluationModel : IDisposable
{
    /// <summary>Wraps a loaded model.</summary>
    /// <param name="name">Model name in reports, e.g. "random", "ecgclip", "merl".</param>
    /// <param name="encoder">The ECG encoder (taken over: disposed with this model).</param>
    /// <param name="preprocessing">The checkpoint's preprocessing; null uses <see cref="EvaluationPreprocessing.Default"/>.</param>
    /// <param name="text">The text tower with its tokenizer, or null (no zero-shot or retrieval).</param>
    /// <param name="cacheKey">Identity of the weights for the embedding cache (e.g. the checkpoint path + backbone + seed).</param>
    /// <param name="owner">What to dispose instead of the encoder and text tower (e.g. the loaded bundle), or null.</param>
    public EvaluationModel(string name, IEcgEncoder encoder, PreprocessingConfig? preprocessing, IReportTextEmbedder? text, string cacheKey,
        IDisposable? owner = null)
    {
        _owner = owner;
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheKey);
        Name = name;
        Encoder = encoder;
        Preprocessing = preprocessing;
        Text = text;
        CacheKey = cacheKey;
    }

    /// <summary>Model name in reports.</summary>
    public string Name { get; }

    /// <summary>The ECG encoder.</summary>
    public IEcgEncoder Encoder { get; }

    /// <summary>The checkpoint's preprocessing, or null for the default.</summary>
    public PreprocessingConfig? Preprocessing { get; }

    /// <summary>The text tower, or null.</summary>
    public IReportTextEmbedder? Text { get; }

    /// <summary>Identity of the weights, keying <see cref="EmbeddingCache"/>.</summary>
    public string CacheKey { get; }

    private readonly IDisposable? _owner;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_owner is not null)
        {
            _owner.Dispose();
            return;
        }
        Encoder.Dispose();
        Text?.Dispose();
    }
}
