namespace EcgClip.Text.Encoders.Bert;

/// <summary>How a <see cref="BertTextEncoder"/> pools, projects and freezes (serialisable with System.Text.Json).</summary>
public sealed record BertTextEncoderOptions
{
    /// <summary>Pooling of the last hidden state. Default <see cref="TextPooling.Cls"/>.</summary>
    public TextPooling Pooling { get; init; } = TextPooling.Cls;

    /// <summary>
    /// Freeze the embeddings and the first this-many layers (MERL froze 6 of MedCPT's 12). 0 = train everything;
    /// the number of layers = freeze the whole BERT (then cache embeddings, see <c>TextEmbeddingCache</c>). Default 0.
    /// </summary>
    public int FrozenLayers { get; init; }

    /// <summary>
    /// Add a linear projection (no bias, seeded by <see cref="Seed"/>) from the hidden width to this width;
    /// null = none, <c>OutputDim</c> is the hidden width. Default null.
    /// </summary>
    public int? ProjectionDim { get; init; }

    /// <summary>Seed for the initial projection weights. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>
    /// When the whole BERT body is frozen (<see cref="FrozenLayers"/> = all layers), cache the frozen features (the
    /// pooling input: <c>[CLS]</c> state or masked mean) of up to this many distinct reports, so each report runs
    /// through BERT once and later calls run only the trainable pooler/projection (see
    /// <see cref="Caching.FrozenFeatureCache"/>). 0 = no cache. Default 0.
    /// </summary>
    public int FeatureCacheCapacity { get; init; }

    /// <summary>Checks the values against <paramref name="config"/>; throws <see cref="ArgumentException"/>.</summary>
    public void Validate(BertConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (FrozenLayers < 0 || FrozenLayers > config.NumHiddenLayers)
            throw new ArgumentException($"{nameof(FrozenLayers)} must be in 0..{config.NumHiddenLayers}, got {FrozenLayers}");
        if (FeatureCacheCapacity < 0) throw new ArgumentException($"{nameof(FeatureCacheCapacity)} must be ≥ 0, got {FeatureCacheCapacity}");
        if (ProjectionDim is < 1) throw new ArgumentException($"{nameof(ProjectionDim)} must be ≥ 1 when set, got {ProjectionDim}");
        if (!Enum.IsDefined(Pooling)) throw new ArgumentException($"unknown pooling {Pooling}");
    }
}
