using System.Text.Json;
using System.Text.Json.Serialization;

namespace EcgClip.Text.Encoders.Bert;

/// <summary>
/// The architecture fields of a Hugging Face <c>config.json</c> for <c>BertModel</c> (snake_case JSON names as HF
/// writes them; unknown fields are ignored).
/// </summary>
public sealed record BertConfig
{
    /// <summary>Vocabulary size (rows of <c>embeddings.word_embeddings.weight</c>).</summary>
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 30522;

    /// <summary>Hidden width.</summary>
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 768;

    /// <summary>Number of Transformer layers.</summary>
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 12;

    /// <summary>Attention heads per layer (must divide <see cref="HiddenSize"/>).</summary>
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 12;

    /// <summary>Width of the feed-forward layer.</summary>
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 3072;

    /// <summary>Activation; only <c>gelu</c> (the erf form) is supported.</summary>
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "gelu";

    /// <summary>Dropout after embeddings, attention output and feed-forward output (training only).</summary>
    [JsonPropertyName("hidden_dropout_prob")] public double HiddenDropoutProb { get; init; } = 0.1;

    /// <summary>Dropout on attention probabilities (training only).</summary>
    [JsonPropertyName("attention_probs_dropout_prob")] public double AttentionProbsDropoutProb { get; init; } = 0.1;

    /// <summary>Longest sequence (rows of <c>embeddings.position_embeddings.weight</c>).</summary>
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 512;

    /// <summary>Segment types (rows of <c>embeddings.token_type_embeddings.weight</c>); EcgClip uses type 0.</summary>
    [JsonPropertyName("type_vocab_size")] public int TypeVocabSize { get; init; } = 2;

    /// <summary>LayerNorm epsilon.</summary>
    [JsonPropertyName("layer_norm_eps")] public double LayerNormEps { get; init; } = 1e-12;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad field.</summary>
    public void Validate()
    {
        static void Positive(int v, string name)
        {
            if (v < 1) throw new ArgumentException($"BERT config: {name} must be ≥ 1, got {v}");
        }
        Positive(VocabSize, "vocab_size");
        Positive(HiddenSize, "hidden_size");
        Positive(NumHiddenLayers, "num_hidden_layers");
        Positive(NumAttentionHeads, "num_attention_heads");
        Positive(IntermediateSize, "intermediate_size");
        Positive(MaxPositionEmbeddings, "max_position_embeddings");
        Positive(TypeVocabSize, "type_vocab_size");
        if (HiddenSize % NumAttentionHeads != 0)
            throw new ArgumentException($"BERT config: hidden_size {HiddenSize} is not a multiple of num_attention_heads {NumAttentionHeads}");
        if (HiddenAct != "gelu")
            throw new NotSupportedException($"BERT config: hidden_act '{HiddenAct}' is not supported (only 'gelu', the erf form)");
        if (!(LayerNormEps > 0)) throw new ArgumentException($"BERT config: layer_norm_eps must be > 0, got {LayerNormEps}");
    }

    /// <summary>Reads a Hugging Face <c>config.json</c>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">It is not valid JSON.</exception>
    public static BertConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"BERT config not found: {path}", path);
        try
        {
            var config = JsonSerializer.Deserialize<BertConfig>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: null config");
            config.Validate();
            return config;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: invalid BERT config JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Serialises as a Hugging Face style <c>config.json</c>.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true });
}
