using EcgClip.Text.Encoders;

namespace EcgClip.Text.Training;

/// <summary>
/// The <c>text.options</c> of a <c>"bert"</c> pretraining text tower (camelCase JSON in the model configuration), e.g.
/// <c>{ "path": "models/MedCPT-Query-Encoder", "frozenLayers": 6, "pooling": "cls" }</c>.
/// </summary>
public sealed record BertTowerOptions
{
    /// <summary>
    /// Folder of the published BERT (<c>config.json</c>, <c>model.safetensors</c>, <c>vocab.txt</c>, optionally
    /// <c>tokenizer_config.json</c>); a relative path is resolved against the current directory when the tower is
    /// created. Read only then: a checkpoint holds the BERT config, vocabulary and weights itself and never reads it.
    /// </summary>
    public string? Path { get; init; }

    /// <summary>
    /// Embeddings + this many bottom layers frozen (requires_grad false, out of the optimiser, eval mode while
    /// training). Null (the default) = all layers: the whole body is frozen and its features are cached per report.
    /// 0 = fine-tune everything.
    /// </summary>
    public int? FrozenLayers { get; init; }

    /// <summary>Pooling of the last hidden state. Default <see cref="TextPooling.Cls"/>.</summary>
    public TextPooling Pooling { get; init; } = TextPooling.Cls;

    /// <summary>Seed of the initial projection (BERT hidden width → embedding width) weights. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>Distinct reports whose frozen features are cached when the whole body is frozen (0 = no cache). Default 100,000.</summary>
    public int FeatureCacheCapacity { get; init; } = 100_000;
}
