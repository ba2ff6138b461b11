using System.Text.Json;
using System.Text.Json.Serialization;

namespace EcgClip.Text.Encoders.Transformer;

/// <summary>
/// Architecture of the from-scratch report Transformer (serialised with System.Text.Json and saved with checkpoints;
/// a new size is a new config, not new code).
/// </summary>
public sealed record TransformerTextEncoderConfig
{
    /// <summary>Vocabulary size (rows of the token embedding); must cover every id of the tokenizer's vocab.txt.</summary>
    public int VocabSize { get; init; } = 4000;

    /// <summary>Longest token sequence (rows of the learned position embedding). Default 128.</summary>
    public int MaxLength { get; init; } = 128;

    /// <summary>Model width d. Default 256.</summary>
    public int Width { get; init; } = 256;

    /// <summary>Number of pre-LayerNorm Transformer blocks. Default 4.</summary>
    public int Layers { get; init; } = 4;

    /// <summary>Attention heads (must divide <see cref="Width"/>). Default 4.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Hidden width of each block's MLP. Default 4 × 256 = 1024.</summary>
    public int FeedForwardWidth { get; init; } = 1024;

    /// <summary>Dropout probability in training mode. Default 0.1.</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>Pooling: <see cref="TextPooling.Cls"/> or <see cref="TextPooling.Mean"/>. Default mean.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public TextPooling Pooling { get; init; } = TextPooling.Mean;

    /// <summary>Width of the output embedding (linear projection of the pooled state, no bias). Default 256.</summary>
    public int OutputDim { get; init; } = 256;

    /// <summary>Seed of the weight initialisation (normal, std 0.02; biases 0; LayerNorm 1/0). Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>A 2-layer, width-64 tower for tests and smoke runs.</summary>
    public static TransformerTextEncoderConfig Tiny(int vocabSize) => new()
    {
        VocabSize = vocabSize, MaxLength = 64, Width = 64, Layers = 2, Heads = 4, FeedForwardWidth = 128, OutputDim = 32,
    };

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad field.</summary>
    public void Validate()
    {
        static void Positive(int v, string name)
        {
            if (v < 1) throw new ArgumentException($"{name} must be ≥ 1, got {v}");
        }
        Positive(VocabSize, nameof(VocabSize));
        Positive(MaxLength, nameof(MaxLength));
        Positive(Width, nameof(Width));
        Positive(Layers, nameof(Layers));
        Positive(Heads, nameof(Heads));
        Positive(FeedForwardWidth, nameof(FeedForwardWidth));
        Positive(OutputDim, nameof(OutputDim));
        if (Width % Heads != 0) throw new ArgumentException($"{nameof(Width)} {Width} is not a multiple of {nameof(Heads)} {Heads}");
        if (Dropout is < 0 or >= 1) throw new ArgumentException($"{nameof(Dropout)} must be in [0, 1), got {Dropout}");
        if (Pooling is not (TextPooling.Cls or TextPooling.Mean))
            throw new ArgumentException($"{nameof(Pooling)} must be Cls or Mean for the Transformer encoder, got {Pooling}");
    }

    /// <summary>Serialises to indented JSON (camelCase).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <summary>Reads a config written by <see cref="ToJson"/>; missing fields take their defaults.</summary>
    public static TransformerTextEncoderConfig FromJson(string json) =>
        JsonSerializer.Deserialize<TransformerTextEncoderConfig>(json, s_json) ?? throw new InvalidDataException("transformer config JSON is null");

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}
