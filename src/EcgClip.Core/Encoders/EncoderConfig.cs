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
    /// <summary>
    /// Whether the stem ends with a torchvision-style max-pool (kernel 3, stride 2, padding 1). Default false, as in
    /// MERL's <c>resnet1d.py</c> (the built-in resnet18/resnet34): the feature map is then samples/16 long, not samples/32.
    /// </summary>
    public bool StemPool { get; init; }
    /// <summary>Kernel size of the block convolutions (samples).</summary>
    public int BlockKernel { get; init; } = 3;
    /// <summary>Input leads in order (canonical names).</summary>
    public IReadOnlyList<string> Leads { get; init; } = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"];
    /// <summary>Sampling rate the encoder expects (Hz).</summary>
    public double SamplingRate { get; init; } = 100;
    /// <summary>Width of the projected embedding; 0 = no projection (the pooled last-stage width).</summary>
    public int EmbeddingDim { get; init; } = 256;

    /// <summary>
    /// How the last feature map becomes one vector: <c>"mean"</c> (average over time, then <see cref="Projection"/>;
    /// default) or <c>"attention"</c> (MERL's attention pooling, <see cref="Heads.AttentionPool1d"/>, whose output layer is
    /// the projection to <see cref="EmbeddingDim"/>; needs <see cref="AttentionLength"/>).
    /// </summary>
    public string Pooling { get; init; } = "mean";
    /// <summary>Projection after mean pooling: <c>"linear"</c> (default) or <c>"mlp"</c> (<see cref="Heads.MlpProjectionHead"/>).</summary>
    public string Projection { get; init; } = "linear";
    /// <summary>Hidden width of the MLP projection; 0 = <see cref="EmbeddingDim"/>.</summary>
    public int ProjectionHiddenDim { get; init; }
    /// <summary>Activation of the MLP projection: <c>"gelu"</c> (default, as MERL's text projector) or <c>"relu"</c>.</summary>
    public string ProjectionActivation { get; init; } = "gelu";
    /// <summary>Heads of the attention pooling (must divide <see cref="EmbeddingDim"/>). Default 4, as MERL.</summary>
    public int AttentionHeads { get; init; } = 4;
    /// <summary>
    /// Time steps of the last feature map, for the attention pooling's positional embedding: ⌈samples/16⌉ with the MERL
    /// stem (⌈samples/32⌉ with <see cref="StemPool"/>), e.g. 63 for 10 s at 100 Hz, 313 for 10 s at 500 Hz. 0 = unset.
    /// </summary>
    public int AttentionLength { get; init; }

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
        if (Pooling is not ("mean" or "attention")) errors.Add($"pooling must be \"mean\" or \"attention\", got \"{Pooling}\"");
        if (Projection is not ("linear" or "mlp")) errors.Add($"projection must be \"linear\" or \"mlp\", got \"{Projection}\"");
        if (ProjectionActivation is not ("gelu" or "relu")) errors.Add($"projectionActivation must be \"gelu\" or \"relu\", got \"{ProjectionActivation}\"");
        if (ProjectionHiddenDim < 0) errors.Add("projectionHiddenDim must be >= 0");
        if (Projection == "mlp" && EmbeddingDim == 0) errors.Add("an mlp projection needs embeddingDim > 0");
        if (Pooling == "attention")
        {
            if (EmbeddingDim == 0) errors.Add("attention pooling needs embeddingDim > 0 (its width and output)");
            if (AttentionHeads < 1 || (EmbeddingDim > 0 && EmbeddingDim % AttentionHeads != 0)) errors.Add("attentionHeads must be positive and divide embeddingDim");
            if (AttentionLength < 1) errors.Add("attention pooling needs attentionLength (feature-map steps, ceil(samples / 16) with the MERL stem)");
            if (Projection != "linear") errors.Add("attention pooling ends in its own linear projection (c_proj); projection must be \"linear\"");
        }
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
