using System.Text.Json;
using System.Text.Json.Serialization;
using EcgClip.Core.Encoders;
using EcgClip.Core.Objectives;
using EcgClip.Signal.Dsp.Augmentation;
using EcgClip.Signal.Dsp.Preprocessing;

namespace EcgClip.Core.Models;

/// <summary>
/// A whole ECGCLIP model as data, written as <c>config.json</c> into every checkpoint (camelCase, one naming policy):
/// the ECG tower, the text tower, the shared embedding width, the objective, the preprocessing pipeline, the training
/// augmentation and the input geometry. <see cref="IEcgClipModelFactory.FromPretrained"/> rebuilds the model and its
/// serving-time preprocessing from it alone.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>Model name (e.g. <c>resnet18-clip</c>).</summary>
    public string Name { get; init; } = "ecgclip";

    /// <summary>The ECG tower (a catalog backbone, e.g. resnet18 with MERL's stem).</summary>
    public required EncoderConfig Ecg { get; init; }

    /// <summary>The text tower.</summary>
    public TextTowerSpec Text { get; init; } = new();

    /// <summary>Width of the joint embedding space; must equal the ECG and text output widths.</summary>
    public int EmbeddingDim { get; init; } = 256;

    /// <summary>The contrastive objective (resolved through the keyed <see cref="IContrastiveObjectiveFactory"/>).</summary>
    public ObjectiveOptions Objective { get; init; } = new();

    /// <summary>Preprocessing applied to every record before the encoder (training and serving).</summary>
    public required PreprocessingConfig Preprocessing { get; init; }

    /// <summary>Augmentation applied to training batches only; null = none.</summary>
    public AugmentationConfig? Augmentation { get; init; }

    /// <summary>ECG views per sample: 1, or 2 (two dropout views of the ECG embedding for MERL's UMA).</summary>
    public int EcgViews { get; init; } = 1;

    /// <summary>Dropout on the ECG embedding that makes the two views (only with <see cref="EcgViews"/> = 2). Default 0.1 (MERL).</summary>
    public double ViewDropout { get; init; } = 0.1;

    /// <summary>Samples per lead fed to the encoder (records are cropped or zero-padded to it), after preprocessing.</summary>
    public int SampleLength { get; init; } = 1000;

    /// <summary>Sampling rate of the encoder input in Hz (after preprocessing).</summary>
    public double SamplingRate { get; init; } = 100;

    /// <summary>Checks the configuration; returns every problem as <c>field: reason</c> (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Ecg is null) errors.Add("ecg: missing");
        else
        {
            errors.AddRange(Ecg.Validate().Select(e => "ecg: " + e));
            if (Ecg.OutputDim != EmbeddingDim) errors.Add($"embeddingDim: {EmbeddingDim} differs from the ECG tower's output width {Ecg.OutputDim} (ecg.embeddingDim)");
            if (Math.Abs(Ecg.SamplingRate - SamplingRate) > 1e-9) errors.Add($"samplingRate: {SamplingRate} Hz differs from ecg.samplingRate {Ecg.SamplingRate} Hz");
        }
        if (Text is null) errors.Add("text: missing"); else errors.AddRange(Text.Validate());
        if (EmbeddingDim < 1) errors.Add($"embeddingDim: must be positive, got {EmbeddingDim}");
        if (Objective is null) errors.Add("objective: missing");
        else errors.AddRange(Objective.Validate().Select(e => "objective: " + e));
        if (Preprocessing is null) errors.Add("preprocessing: missing");
        else
        {
            double output = Preprocessing.ResampleHz ?? Preprocessing.SamplingRateHz;
            if (!(Preprocessing.SamplingRateHz > 0)) errors.Add("preprocessing.samplingRateHz: must be positive");
            else if (Math.Abs(output - SamplingRate) > 1e-9) errors.Add($"preprocessing: outputs {output} Hz but samplingRate is {SamplingRate} Hz");
        }
        if (EcgViews is not (1 or 2)) errors.Add($"ecgViews: must be 1 or 2, got {EcgViews}");
        if (Objective?.Name?.Trim().Equals("merl", StringComparison.OrdinalIgnoreCase) == true && EcgViews != 2) errors.Add("ecgViews: the merl objective needs 2 views (UMA)");
        if (!(ViewDropout >= 0 && ViewDropout < 1)) errors.Add($"viewDropout: must be in [0, 1), got {ViewDropout}");
        if (SampleLength < 16) errors.Add($"sampleLength: must be at least 16 samples, got {SampleLength}");
        if (Augmentation is { CropLength: { } crop } && crop != SampleLength) errors.Add($"augmentation.cropLength: {crop} differs from sampleLength {SampleLength}");
        return errors;
    }

    /// <summary>Throws <see cref="ModelConfigException"/> naming <paramref name="source"/> when invalid.</summary>
    public ModelConfig ThrowIfInvalid(string source = "model configuration")
    {
        var errors = Validate();
        if (errors.Count > 0) throw new ModelConfigException(source, errors);
        return this;
    }

    /// <summary>The one JSON convention of model configurations: camelCase, enums as strings, unknown fields refused.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Serialises to indented camelCase JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses and validates a configuration; <paramref name="source"/> (a file path) names it in errors.</summary>
    /// <exception cref="ModelConfigException">Malformed JSON, a missing or mistyped field, or invalid values (file and field named).</exception>
    public static ModelConfig FromJson(string json, string source)
    {
        ModelConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<ModelConfig>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            string field = string.IsNullOrEmpty(ex.Path) ? "(document)" : ex.Path.TrimStart('$', '.');
            throw new ModelConfigException(source, [$"{field}: {ex.Message.Split(" Path:")[0]}"], ex);
        }
        if (config is null) throw new ModelConfigException(source, ["(document): empty"]);
        return config.ThrowIfInvalid(source);
    }

    /// <summary>Reads and validates <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelConfigException">The file is invalid.</exception>
    public static ModelConfig Load(string path) =>
        File.Exists(path) ? FromJson(File.ReadAllText(path), path) : throw new FileNotFoundException($"model configuration not found: {path}", path);

    /// <summary>
    /// The default pretraining configuration for a catalog backbone and an objective at <paramref name="samplingRate"/>
    /// Hz, 10 s records: band-pass 0.5–40 Hz (0.5–45 Hz above 100 Hz), per-lead z-score, amplitude scaling and light
    /// noise as augmentation, a 2-layer width-256 Transformer text tower (PTB-XL reports are short: a deeper tower
    /// mostly costs CPU time), embedding 256; merl uses two views.
    /// </summary>
    public static ModelConfig CreateDefault(EncoderConfig backbone, string objective = "clip", double samplingRate = 100)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        string obj = objective.Trim().ToLowerInvariant();
        var ecg = backbone with { SamplingRate = samplingRate };
        int length = (int)Math.Round(10 * samplingRate);
        return new ModelConfig
        {
            Name = $"{backbone.Name}-{obj}",
            Ecg = ecg,
            EmbeddingDim = ecg.OutputDim,
            Text = new TextTowerSpec { Options = JsonSerializer.SerializeToElement(new { layers = 2, width = 256, heads = 4, feedForwardWidth = 1024, dropout = 0.1 }) },
            Objective = new ObjectiveOptions { Name = obj },
            Preprocessing = new PreprocessingConfig
            {
                SamplingRateHz = samplingRate,
                BandPass = new FrequencyBand(0.5, samplingRate > 100 ? 45 : 40),
                Normalization = NormalizationMethod.ZScore,
                RepairNonFinite = Signal.Dsp.Normalization.NonFiniteRepair.Interpolate,
            },
            Augmentation = new AugmentationConfig { SamplingRateHz = samplingRate, ScaleMin = 0.9, ScaleMax = 1.1, NoiseStd = 0.02 },
            EcgViews = obj == "merl" ? 2 : 1,
            SampleLength = length,
            SamplingRate = samplingRate,
        };
    }
}
