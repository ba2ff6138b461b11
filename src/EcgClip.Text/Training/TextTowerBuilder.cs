using System.Text.Json;
using EcgClip.Core.Models;
using EcgClip.Text.Encoders.Transformer;
using EcgClip.Text.Tokenization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EcgClip.Text.Training;

/// <summary>
/// Builds the from-scratch Transformer text tower (<c>"transformer"</c>) for Core's model factory: a WordPiece
/// vocabulary trained on the training reports only (<see cref="WordPieceTrainer"/>), the tokenizer, and a
/// <see cref="TransformerTextEncoder"/> whose architecture comes from <see cref="TextTowerSpec.Options"/> (a
/// <see cref="TransformerTextEncoderConfig"/> as camelCase JSON; <c>vocabSize</c> and <c>outputDim</c> are set by the
/// builder). Registered by <c>AddEcgClipText()</c>.
/// </summary>
public sealed class TextTowerBuilder : ITextTowerBuilder
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private readonly ILogger _logger;

    /// <summary>Creates the builder.</summary>
    public TextTowerBuilder(ILogger<TextTowerBuilder>? logger = null) => _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <inheritdoc />
    public TextTower Create(TextTowerSpec spec, int outputDim, IReadOnlyList<string> trainingReports)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(trainingReports);
        CheckKind(spec);
        var tokenizerConfig = new TokenizerConfig { MaxLength = spec.MaxTokens };
        var vocabulary = new WordPieceTrainer(new WordPieceTrainerOptions { VocabSize = spec.VocabularySize }, tokenizerConfig).Train(trainingReports);
        _logger.LogInformation("trained a WordPiece vocabulary of {Count} entries on {Reports} training reports", vocabulary.Count, trainingReports.Count);
        return Build(spec, outputDim, ReportTokenizer.Create(vocabulary, tokenizerConfig), "options");
    }

    /// <inheritdoc />
    public TextTower Load(TextTowerSpec spec, int outputDim, string checkpointDirectory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        CheckKind(spec);
        string vocabPath = Path.Combine(checkpointDirectory, spec.Vocabulary);
        string tokenizerPath = Path.Combine(checkpointDirectory, ReportBatcher.TokenizerFileName);
        if (!File.Exists(vocabPath)) throw new InvalidDataException($"{vocabPath}: vocabulary missing from the checkpoint");
        if (!File.Exists(tokenizerPath)) throw new InvalidDataException($"{tokenizerPath}: tokenizer configuration missing from the checkpoint");
        TokenizerConfig tokenizerConfig;
        try
        {
            tokenizerConfig = TokenizerConfig.FromJson(File.ReadAllText(tokenizerPath));
            tokenizerConfig.Validate();
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            throw new InvalidDataException($"{tokenizerPath}: invalid tokenizer configuration: {ex.Message}", ex);
        }
        ReportTokenizer tokenizer;
        try
        {
            tokenizer = ReportTokenizer.Load(vocabPath, tokenizerConfig);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new InvalidDataException($"{vocabPath}: invalid vocabulary: {ex.Message}", ex);
        }
        return Build(spec, outputDim, tokenizer, Path.Combine(checkpointDirectory, "config.json") + ": text.options");
    }

    private static void CheckKind(TextTowerSpec spec)
    {
        if (!string.Equals(spec.Encoder, TransformerTextEncoderFactoryKey, StringComparison.OrdinalIgnoreCase))
            throw new ModelConfigException("text tower", [$"text.encoder: '{spec.Encoder}' is not supported for pretraining yet; use \"transformer\""]);
    }

    private const string TransformerTextEncoderFactoryKey = "transformer";

    private static TextTower Build(TextTowerSpec spec, int outputDim, ReportTokenizer tokenizer, string source)
    {
        TransformerTextEncoderConfig architecture;
        try
        {
            architecture = spec.Options is { } options && options.ValueKind == JsonValueKind.Object
                ? options.Deserialize<TransformerTextEncoderConfig>(s_json) ?? new TransformerTextEncoderConfig()
                : new TransformerTextEncoderConfig();
        }
        catch (JsonException ex)
        {
            throw new ModelConfigException(source, [$"text.options{(string.IsNullOrEmpty(ex.Path) ? "" : ex.Path.TrimStart('$'))}: {ex.Message.Split(" Path:")[0]}"], ex);
        }
        architecture = architecture with
        {
            VocabSize = tokenizer.VocabSize,
            OutputDim = outputDim,
            MaxLength = Math.Max(architecture.MaxLength, spec.MaxTokens),
        };
        try
        {
            architecture.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new ModelConfigException(source, [$"text.options: {ex.Message}"], ex);
        }
        return new TextTower(new TransformerTextEncoder(architecture), new ReportBatcher(tokenizer, spec.Vocabulary));
    }
}
