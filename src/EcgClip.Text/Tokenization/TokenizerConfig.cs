using System.Text.Json;
using System.Text.Json.Serialization;
using EcgClip.Text.Normalization;

namespace EcgClip.Text.Tokenization;

/// <summary>
/// How report text becomes token ids (serialised with System.Text.Json beside every checkpoint): the normaliser
/// pipeline, the <c>BertTokenizer</c> options that must match how the vocabulary was trained, and the length limit.
/// </summary>
public sealed record TokenizerConfig
{
    /// <summary>Longest sequence in tokens, <c>[CLS]</c> and <c>[SEP]</c> included (≥ 2). Default 128.</summary>
    public int MaxLength { get; init; } = 128;

    /// <summary>
    /// <c>BertOptions.LowerCaseBeforeTokenization</c>. Default true (the normaliser already case-folds; published
    /// cased checkpoints need false here and <see cref="ReportNormalizerConfig.CaseFold"/> false).
    /// </summary>
    public bool LowerCase { get; init; } = true;

    /// <summary>
    /// <c>BertOptions.RemoveNonSpacingMarks</c> (strip accents). Default false so that German umlauts and Swedish
    /// å/ä/ö stay distinct letters; set true only for vocabularies trained without accents (e.g. bert-base-uncased).
    /// </summary>
    public bool StripAccents { get; init; }

    /// <summary>Longest word in characters before it becomes a single <c>[UNK]</c> (WordPiece's max_input_chars_per_word). Default 100.</summary>
    public int MaxInputCharsPerWord { get; init; } = 100;

    /// <summary>The normalisation pipeline applied before tokenisation.</summary>
    public ReportNormalizerConfig Normalizer { get; init; } = new();

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad field.</summary>
    public void Validate()
    {
        if (MaxLength < 2) throw new ArgumentException($"{nameof(MaxLength)} must be ≥ 2 ([CLS] and [SEP]), got {MaxLength}");
        if (MaxInputCharsPerWord < 1) throw new ArgumentException($"{nameof(MaxInputCharsPerWord)} must be ≥ 1, got {MaxInputCharsPerWord}");
        ArgumentNullException.ThrowIfNull(Normalizer, nameof(Normalizer));
        Normalizer.Validate();
    }

    /// <summary>Serialises to indented JSON (camelCase).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <summary>Reads a config written by <see cref="ToJson"/>; missing fields take their defaults.</summary>
    public static TokenizerConfig FromJson(string json) =>
        JsonSerializer.Deserialize<TokenizerConfig>(json, s_json) ?? throw new InvalidDataException("tokenizer config JSON is null");

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
