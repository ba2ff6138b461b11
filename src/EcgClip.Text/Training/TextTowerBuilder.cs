using System.Text.Json;
using EcgClip.Core.Models;
using EcgClip.Text.Encoders.Transformer;
using EcgClip.Text.Tokenization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EcgClip.Text.Training;

/// <summary>
/// Builds the pretraining text towers for Core's model factory, chosen by <see cref="TextTowerSpec.Encoder"/>:
/// <c>"bert"</c> goes to <see cref="BertTextTowerBuilder"/>; the from-scratch Transformer (<c>"transformer"</c>) is built here: a WordPiece
/// vocabulary trained on the training reports only (<see cref="WordPieceTrainer"/>), the tokenizer, and a
/// <see cref="TransformerTextEncoder"/> whose architecture comes from <see cref="TextTowerSpec.Options"/> (a
/// <see cref="TransformerTextEncoderConfig"/> as camelCase JSON; <c>vocabSize</c> and <c>outputDim</c> are set by the
/// builder). Registered by <c>AddEcgClipText()</c>.
/// </summary>
public sealed class TextTowerBuilder : ITextTowerBuilder
{
    private readonly ILogger _logger;
    private readonly BertTextTowerBuilder _bert;

    /// <summary>Creates the builder; <c>"bert"</c> specs go to <paramref name="bert"/> (a default one when null).</summary>
    public TextTowerBuilder(ILogger<TextTowerBuilder>? logger = null, BertTextTowerBuilder? bert = null)
    {
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _bert = bert ?? new BertTextTowerBuilder();
    }

    /// <inheritdoc />
    public TextTower Create(TextTowerSpec spec, int outputDim, IReadOnlyList<string> trainingReports)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(trainingReports);
        if (IsBert(spec)) return _bert.Create(spec, outputDim, trainingReports);
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
        if (IsBert(spec)) return _bert.Load(spec, outputDim, checkpointDirectory);
        CheckKind(spec);
        return Build(spec, outputDim, LoadTokenizer(spec, checkpointDirectory), Path.Combine(checkpointDirectory, "config.json") + ": text.options");
    }

    /// <summary>The tokenizer saved in a checkpoint by <see cref="ReportBatcher.SaveTo"/> (vocabulary + tokenizer.json).</summary>
    /// <exception cref="InvalidDataException">A file is missing or malformed (named).</exception>
    internal static ReportTokenizer LoadTokenizer(TextTowerSpec spec, string checkpointDirectory)
    {
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
        return tokenizer;
    }

    private static bool IsBert(TextTowerSpec spec) => string.Equals(spec.Encoder, BertTextTowerBuilder.Key, StringComparison.OrdinalIgnoreCase);

    private static void CheckKind(TextTowerSpec spec)
    {
        if (!string.Equals(spec.Encoder, TransformerTextEncoderFactoryKey, StringComparison.OrdinalIgnoreCase))
            throw new ModelConfigException("text tower", [$"text.encoder: '{spec.Encoder}' is not supported for pretraining; use \"transformer\" or \"bert\""]);
    }

    private const string TransformerTextEncoderFactoryKey = "transformer";

    private static TextTower Build(TextTowerSpec spec, int outputDim, ReportTokenizer tokenizer, string source)
    {
        var architecture = TextTowerOptionsJson.Parse<TransformerTextEncoderConfig>(spec.Options, source);
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
