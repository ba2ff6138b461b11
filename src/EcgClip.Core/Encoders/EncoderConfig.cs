using System.Text.Json;
using System.Text.Json.Serialization;

namespace EcgClip.Core.Encoders;

/// <summary>
/// Architecture of a 1-D ResNet ECG encoder, as data (embedded <c>resnet18.json</c>/<c>resnet34.json</c>, or a user file).
/// R18 and R34 differ only in <see cref="Layers"/>.
/// </summary>
public sealed record EncoderConfig
{
    /// <summary>Backbone name used for lookup (e.g. "resnet18").</summary>
    public required string Name { get; init; }
    /// <summary>Human-readable description.</summary>
    public string Description { get; init; } = "";
    /// <summary>BasicBlocks per stage, e.g. [2,2,2,2] for ResNet-18.</summary>
    public required IReadOnlyList<int> Layers { get; init; }
    /// <summary>Channels per stage, e.g. [64,128,256,512].</summary>
    public required IReadOnlyList<int> Widths { get; init; }
    /// <summary>Kernel size of the stem convolution (samples).</summary>
    public int StemKernel { get; init; } = 7;
    /// <summary>Kernel size of the block convolutions (samples).</summary>
    public int BlockKernel { get; init; } = 3;
    /// <summary>Input leads in order (canonical names).</summary>
    public IReadOnlyList<string> Leads { get; init; } = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"];
    /// <summary>Sampling rate the encoder expects (Hz).</summary>
    public double SamplingRate { get; init; } = 100;
    /// <summary>Width of the projected embedding; 0 = no projection (the pooled last-stage width).</summary>
    public int EmbeddingDim { get; init; } = 256;

    /// <summary>Width of the pooled feature before projection.</summary>
    [JsonIgnore]
    public int FeatureDim => Widths[^1];

    /// <summary>Width of the encoder output.</summary>
    [JsonIgnore]
    public int OutputDim => EmbeddingDim > 0 ? EmbeddingDim : FeatureDim;

    /// <summary>Checks the configuration; returns the problems found (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Name)) errors.Add("name is empty");
        if (Layers is null || Layers.Count == 0 || Layers.Any(l => l < 1)) errors.Add("layers must be a non-empty list of positive block counts");
        if (Widths is null || Layers is null || Widths.Count != Layers.Count || Widths.Any(w => w < 1)) errors.Add("widths must give one positive width per stage");
        if (StemKernel < 1 || StemKernel % 2 == 0) errors.Add("stemKernel must be odd and positive");
        if (BlockKernel < 1 || BlockKernel % 2 == 0) errors.Add("blockKernel must be odd and positive");
        if (Leads is null || Leads.Count == 0) errors.Add("leads must not be empty");
        if (!(SamplingRate > 0)) errors.Add("samplingRate must be positive (Hz)");
        if (EmbeddingDim < 0) errors.Add("embeddingDim must be >= 0");
        return errors;
    }

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
    };

    /// <summary>Parses a configuration from JSON; <paramref name="source"/> names it in errors.</summary>
    public static EncoderConfig FromJson(string json, string source)
    {
        EncoderConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<EncoderConfig>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source}: invalid encoder configuration: {ex.Message}", ex);
        }
        if (config is null) throw new InvalidDataException($"{source}: empty encoder configuration");
        var errors = config.Validate();
        if (errors.Count > 0) throw new InvalidDataException($"{source}: invalid encoder configuration: {string.Join("; ", errors)}");
        return config;
    }

    /// <summary>Serialises to indented JSON (the form saved beside checkpoints).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}
