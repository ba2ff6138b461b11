using System.Text.Json;
using System.Text.Json.Serialization;

namespace EcgClip.Core.Objectives;

/// <summary>
/// Which contrastive objective to build and its hyper-parameters, as data: serialised (System.Text.Json, camelCase)
/// into every checkpoint's configuration so the objective can be rebuilt. A null field means "the objective's default",
/// listed per field; <see cref="Resolve"/> fills them in.
/// </summary>
public sealed record ObjectiveOptions
{
    /// <summary>Registered objective name: <c>"clip"</c>, <c>"siglip"</c> or <c>"merl"</c> (or one added through DI).</summary>
    public string Name { get; init; } = "clip";

    /// <summary>
    /// Initial (or, when not learnable, fixed) temperature τ &gt; 0; the logit scale is s = 1/τ.
    /// Defaults: clip 0.07 (Radford et al. 2021), merl 0.07 (fixed), siglip 0.1 (t = exp(t′), t′ = ln 10; Zhai et al. 2023).
    /// </summary>
    public double? Temperature { get; init; }

    /// <summary>Whether the logit scale is a learnable parameter. Defaults: clip and siglip true, merl false (MERL fixes τ).</summary>
    public bool? LearnableScale { get; init; }

    /// <summary>Initial logit bias b (siglip only). Default −10 (Zhai et al. 2023), learnable.</summary>
    public double? Bias { get; init; }

    /// <summary>
    /// When the batch carries <see cref="Abstractions.ContrastiveBatch.TextGroups"/>, treat rows with the same report as
    /// positives of each other (soft targets for clip/merl, z = +1 for siglip). Default true: PTB-XL reports repeat
    /// (148 unique texts among fold 10's 255 ECGs), so identical reports in one batch would otherwise be pushed apart
    /// as false negatives. Without groups, or with all-distinct groups, the objective equals its diagonal-target form.
    /// </summary>
    public bool SharedPositives { get; init; } = true;

    /// <summary>Upper bound of the logit scale s = exp(logitScale) (clip and siglip), as in CLIP. Default 100.</summary>
    public double MaxLogitScale { get; init; } = 100.0;

    /// <summary>The temperature in effect: <see cref="Temperature"/> or the objective's default.</summary>
    [JsonIgnore]
    public double EffectiveTemperature => Temperature ?? (IsName("siglip") ? 0.1 : 0.07);

    /// <summary>Whether the scale is learnable: <see cref="LearnableScale"/> or the objective's default.</summary>
    [JsonIgnore]
    public bool EffectiveLearnableScale => LearnableScale ?? !IsName("merl");

    /// <summary>The initial SigLIP bias: <see cref="Bias"/> or −10.</summary>
    [JsonIgnore]
    public double EffectiveBias => Bias ?? -10.0;

    /// <summary>A copy with every null field replaced by the objective's default (the form a checkpoint stores).</summary>
    public ObjectiveOptions Resolve() => this with
    {
        Name = Name.Trim().ToLowerInvariant(),
        Temperature = EffectiveTemperature,
        LearnableScale = EffectiveLearnableScale,
        Bias = IsName("siglip") ? EffectiveBias : Bias,
    };

    /// <summary>Checks the values; returns the problems found (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Name)) errors.Add("name is empty");
        if (Temperature is { } t && !(t > 0 && double.IsFinite(t))) errors.Add("temperature must be positive and finite");
        if (Bias is { } b && !double.IsFinite(b)) errors.Add("bias must be finite");
        if (!(MaxLogitScale > 0) || double.IsNaN(MaxLogitScale)) errors.Add("maxLogitScale must be positive");
        if (IsName("merl") && LearnableScale == true) errors.Add("merl uses a fixed temperature; learnableScale must be false or omitted");
        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem when the options are invalid.</summary>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new ArgumentException($"invalid objective options '{Name}': {string.Join("; ", errors)}");
    }

    private bool IsName(string name) => string.Equals(Name?.Trim(), name, StringComparison.OrdinalIgnoreCase);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, // a misspelt field is an error, not a silent default
    };

    /// <summary>Serialises to indented camelCase JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses options from JSON; <paramref name="source"/> names the input in errors.</summary>
    /// <exception cref="InvalidDataException">The JSON is malformed, has an unknown field, or the values are invalid.</exception>
    public static ObjectiveOptions FromJson(string json, string source)
    {
        ObjectiveOptions? options;
        try
        {
            options = JsonSerializer.Deserialize<ObjectiveOptions>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source}: invalid objective options: {ex.Message}", ex);
        }
        if (options is null) throw new InvalidDataException($"{source}: empty objective options");
        var errors = options.Validate();
        if (errors.Count > 0) throw new InvalidDataException($"{source}: invalid objective options: {string.Join("; ", errors)}");
        return options;
    }
}
