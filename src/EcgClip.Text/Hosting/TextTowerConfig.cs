using System.Text.Json;
using System.Text.Json.Serialization;
using EcgClip.Text.Encoders.Bert;
using EcgClip.Text.Encoders.Transformer;
using EcgClip.Text.Tokenization;

namespace EcgClip.Text.Hosting;

/// <summary>
/// The whole text side of a model as data, written into every checkpoint's <c>config.json</c>: which encoder
/// (<see cref="Encoder"/> = <c>"transformer"</c> or <c>"bert"</c>), its settings, and the tokenizer (normaliser
/// pipeline included) with the vocabulary it needs.
/// </summary>
public sealed record TextTowerConfig
{
    /// <summary>Registered encoder name: <c>"transformer"</c> (from scratch) or <c>"bert"</c> (published checkpoint).</summary>
    public string Encoder { get; init; } = TransformerTextEncoderFactory.Key;

    /// <summary>Path of the WordPiece <c>vocab.txt</c> (for BERT: the checkpoint's own).</summary>
    public string? VocabPath { get; init; }

    /// <summary>Tokenizer and normaliser settings.</summary>
    public TokenizerConfig Tokenizer { get; init; } = new();

    /// <summary>Architecture of the from-scratch encoder (used when <see cref="Encoder"/> is <c>"transformer"</c>).</summary>
    public TransformerTextEncoderConfig? Transformer { get; init; }

    /// <summary>Folder with <c>config.json</c> + <c>model.safetensors</c> (used when <see cref="Encoder"/> is <c>"bert"</c>).</summary>
    public string? BertCheckpoint { get; init; }

    /// <summary>Pooling, projection and freezing of the BERT encoder.</summary>
    public BertTextEncoderOptions? Bert { get; init; }

    /// <summary>Serialises to indented JSON (camelCase, enums as strings).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <summary>Reads a config written by <see cref="ToJson"/>.</summary>
    public static TextTowerConfig FromJson(string json) =>
        JsonSerializer.Deserialize<TextTowerConfig>(json, s_json) ?? throw new InvalidDataException("text tower config JSON is null");

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };
}
