using System.Text.Json;

namespace EcgClip.Core.Models;

/// <summary>
/// The text tower of a model as Core-side data (Core cannot see EcgClip.Text): which encoder, its options as raw JSON
/// (interpreted by the registered <see cref="ITextTowerBuilder"/>), and the vocabulary file name relative to the
/// checkpoint folder.
/// </summary>
public sealed record TextTowerSpec
{
    /// <summary>Encoder kind: <c>"transformer"</c> (from scratch, WordPiece trained on the training split) or <c>"bert"</c>.</summary>
    public string Encoder { get; init; } = "transformer";

    /// <summary>Encoder options (e.g. a transformer architecture) as JSON, or null for the builder's defaults.</summary>
    public JsonElement? Options { get; init; }

    /// <summary>Vocabulary file name, relative to the checkpoint folder (never an absolute path). Default <c>vocab.txt</c>.</summary>
    public string Vocabulary { get; init; } = "vocab.txt";

    /// <summary>WordPiece vocabulary size trained on the training reports (transformer only). Default 2,000.</summary>
    public int VocabularySize { get; init; } = 2000;

    /// <summary>Longest token sequence, [CLS] and [SEP] included. Default 64.</summary>
    public int MaxTokens { get; init; } = 64;

    /// <summary>Checks the values; returns problems as <c>field: reason</c> (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Encoder)) errors.Add("text.encoder: is empty");
        if (string.IsNullOrWhiteSpace(Vocabulary)) errors.Add("text.vocabulary: is empty");
        else if (Path.IsPathRooted(Vocabulary) || Vocabulary.Contains("..", StringComparison.Ordinal))
            errors.Add($"text.vocabulary: must be a file name relative to the checkpoint folder, got '{Vocabulary}'");
        if (VocabularySize < 16) errors.Add($"text.vocabularySize: must be at least 16, got {VocabularySize}");
        if (MaxTokens < 2) errors.Add($"text.maxTokens: must be at least 2 ([CLS] and [SEP]), got {MaxTokens}");
        return errors;
    }
}
