using System.Text.Json;
using System.Text.Json.Serialization;
using EcgClip.Core.Models;
using EcgClip.Text.Encoders;
using EcgClip.Text.Encoders.Bert;
using EcgClip.Text.Normalization;
using EcgClip.Text.Tokenization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EcgClip.Text.Training;

/// <summary>
/// Builds the <c>"bert"</c> pretraining text tower: a published Hugging Face BERT (<see cref="BertTowerOptions.Path"/>:
/// <c>config.json</c>, <c>model.safetensors</c>, <c>vocab.txt</c>) tokenised with its own vocabulary and lower-casing
/// (no WordPiece training), the embeddings + first K layers frozen, pooled and projected to the embedding width by a
/// trainable linear layer. With the whole body frozen the encoder caches each report's frozen features
/// (<see cref="BertTextEncoder.FeatureCache"/>). Checkpoints stand alone: the BERT weights are part of the model's
/// <c>model.safetensors</c> (<c>text.bert.*</c>), and the vocabulary, <c>tokenizer.json</c> and the BERT architecture
/// (<see cref="ConfigFileName"/>) are written beside it, so <see cref="Load"/> never reads the original folder.
/// </summary>
public sealed class BertTextTowerBuilder : ITextTowerBuilder
{
    /// <summary>The encoder name in <see cref="TextTowerSpec.Encoder"/>, <c>"bert"</c>.</summary>
    public const string Key = "bert";

    /// <summary>File name of the BERT architecture (Hugging Face <c>config.json</c> fields) in a checkpoint.</summary>
    public const string ConfigFileName = "bert_config.json";

    private readonly ILogger _logger;

    /// <summary>Creates the builder.</summary>
    public BertTextTowerBuilder(ILogger<BertTextTowerBuilder>? logger = null) => _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>The options as JSON for <see cref="TextTowerSpec.Options"/> (camelCase, the form <see cref="Create"/> reads).</summary>
    public static JsonElement ToOptionsJson(BertTowerOptions options) => JsonSerializer.SerializeToElement(options ?? throw new ArgumentNullException(nameof(options)), TextTowerOptionsJson.Options);

    /// <inheritdoc />
    /// <remarks><paramref name="trainingReports"/> is not used: the vocabulary is the BERT's own.</remarks>
    /// <exception cref="FileNotFoundException">A file of the BERT folder is missing (named).</exception>
    /// <exception cref="InvalidDataException">A file of the BERT folder is malformed or does not fit its config (named).</exception>
    public TextTower Create(TextTowerSpec spec, int outputDim, IReadOnlyList<string> trainingReports)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var options = ParseOptions(spec, "text.options");
        if (string.IsNullOrWhiteSpace(options.Path))
            throw new ModelConfigException("text tower", ["text.options.path: the bert text tower needs the folder of a published BERT (config.json, model.safetensors, vocab.txt)"]);
        string dir = Path.GetFullPath(options.Path);
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: BERT folder not found");
        string configPath = Path.Combine(dir, "config.json");
        var config = LoadConfig(configPath);
        string vocabPath = Path.Combine(dir, "vocab.txt");
        if (!File.Exists(vocabPath)) throw new FileNotFoundException($"{vocabPath}: the BERT vocabulary is missing", vocabPath);
        var (lowerCase, stripAccents) = ReadCasing(Path.Combine(dir, "tokenizer_config.json"));
        var tokenizerConfig = new TokenizerConfig
        {
            MaxLength = Math.Min(spec.MaxTokens, config.MaxPositionEmbeddings),
            LowerCase = lowerCase,
            StripAccents = stripAccents,
            Normalizer = new ReportNormalizerConfig { CaseFold = lowerCase },
        };
        ReportTokenizer tokenizer;
        try
        {
            tokenizer = ReportTokenizer.Load(vocabPath, tokenizerConfig);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"{vocabPath}: invalid vocabulary: {ex.Message}", ex);
        }
        if (tokenizer.VocabSize > config.VocabSize)
            throw new InvalidDataException($"{vocabPath}: {tokenizer.VocabSize} entries, more than vocab_size {config.VocabSize} of {configPath}");
        var encoderOptions = EncoderOptions(options, config, outputDim, "text.options");
        BertTextEncoder encoder;
        try
        {
            encoder = BertTextEncoder.FromPretrained(dir, encoderOptions);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"{configPath}: {ex.Message}", ex);
        }
        encoder.FreezeUnusedPooler();
        _logger.LogInformation("BERT text tower from {Folder}: {Layers} layers × {Hidden}, embeddings + {Frozen} layer(s) frozen, {Pooling} pooling, feature cache {Cache}",
            dir, config.NumHiddenLayers, config.HiddenSize, encoderOptions.FrozenLayers, encoderOptions.Pooling,
            encoder.FeatureCache is null || encoderOptions.FrozenLayers < config.NumHiddenLayers ? "off" : "on");
        return new TextTower(encoder, Batcher(spec, tokenizer, config));
    }

    /// <inheritdoc />
    public TextTower Load(TextTowerSpec spec, int outputDim, string checkpointDirectory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(checkpointDirectory);
        string source = Path.Combine(checkpointDirectory, EcgClipModelFactory.ConfigFileName) + ": text.options";
        var options = ParseOptions(spec, source);
        string configPath = Path.Combine(checkpointDirectory, ConfigFileName);
        if (!File.Exists(configPath)) throw new InvalidDataException($"{configPath}: BERT configuration missing from the checkpoint");
        var config = LoadConfig(configPath);
        var tokenizer = TextTowerBuilder.LoadTokenizer(spec, checkpointDirectory);
        if (tokenizer.VocabSize > config.VocabSize)
            throw new InvalidDataException($"{Path.Combine(checkpointDirectory, spec.Vocabulary)}: {tokenizer.VocabSize} entries, more than vocab_size {config.VocabSize} of {configPath}");
        var encoder = BertTextEncoder.Create(config, EncoderOptions(options, config, outputDim, source)); // weights: the caller loads model.safetensors
        encoder.FreezeUnusedPooler();
        return new TextTower(encoder, Batcher(spec, tokenizer, config));
    }

    private static ReportBatcher Batcher(TextTowerSpec spec, ReportTokenizer tokenizer, BertConfig config) =>
        new(tokenizer, spec.Vocabulary, new Dictionary<string, string> { [ConfigFileName] = config.ToJson() });

    private static BertTowerOptions ParseOptions(TextTowerSpec spec, string source) => TextTowerOptionsJson.Parse<BertTowerOptions>(spec.Options, source);

    private static BertTextEncoderOptions EncoderOptions(BertTowerOptions options, BertConfig config, int outputDim, string source)
    {
        int frozen = options.FrozenLayers ?? config.NumHiddenLayers;
        var problems = new List<string>();
        if (frozen < 0 || frozen > config.NumHiddenLayers) problems.Add($"text.options.frozenLayers: must be in 0..{config.NumHiddenLayers} (the BERT's layers), got {frozen}");
        if (options.FeatureCacheCapacity < 0) problems.Add($"text.options.featureCacheCapacity: must be ≥ 0, got {options.FeatureCacheCapacity}");
        if (!Enum.IsDefined(options.Pooling)) problems.Add($"text.options.pooling: unknown value {options.Pooling}");
        if (outputDim < 1) problems.Add($"embeddingDim: must be positive, got {outputDim}");
        if (problems.Count > 0) throw new ModelConfigException(source, problems);
        return new BertTextEncoderOptions
        {
            FrozenLayers = frozen,
            Pooling = options.Pooling,
            ProjectionDim = outputDim,
            Seed = options.Seed,
            FeatureCacheCapacity = frozen == config.NumHiddenLayers ? options.FeatureCacheCapacity : 0,
        };
    }

    private static BertConfig LoadConfig(string path)
    {
        try
        {
            return BertConfig.Load(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }
    }

    /// <summary>Hugging Face <c>do_lower_case</c> (default true) and <c>strip_accents</c> (default: as lower-casing) of a <c>tokenizer_config.json</c>, when present.</summary>
    private static (bool LowerCase, bool StripAccents) ReadCasing(string path)
    {
        if (!File.Exists(path)) return (true, true);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}: the tokenizer configuration is not a JSON object");
            bool lower = !root.TryGetProperty("do_lower_case", out var l) || l.ValueKind != JsonValueKind.False;
            bool strip = root.TryGetProperty("strip_accents", out var s) && s.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? s.ValueKind == JsonValueKind.True
                : lower;
            return (lower, strip);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: invalid tokenizer configuration JSON: {ex.Message}", ex);
        }
    }
}
