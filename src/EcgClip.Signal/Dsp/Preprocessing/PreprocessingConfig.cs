using System.Text.Json;
using System.Text.Json.Serialization;

namespace EcgClip.Signal.Dsp.Preprocessing;

/// <summary>How each channel (or record) is scaled after filtering and resampling.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NormalizationMethod>))]
public enum NormalizationMethod
{
    /// <summary>No scaling.</summary>
    None,
    /// <summary>Per lead: (x − mean) / (std + 1e-8), population std (ddof 0), like numpy.</summary>
    ZScore,
    /// <summary>Per record, over all leads (MERL style): (x − min) / (max − min + 1e-8).</summary>
    MinMax,
    /// <summary>Per lead: (x − median) / (IQR + 1e-8), quartiles with numpy's linear interpolation.</summary>
    Robust,
}

/// <summary>A pass band in Hz.</summary>
/// <param name="Low">Lower edge in Hz.</param>
/// <param name="High">Upper edge in Hz.</param>
public readonly record struct FrequencyBand(double Low, double High);

/// <summary>
/// A preprocessing pipeline described as data, saved with every checkpoint so that serving uses the training
/// pipeline. Stages run in this fixed order: <see cref="BandPass"/> → <see cref="HighPassHz"/> →
/// <see cref="LowPassHz"/> (each a zero-phase Butterworth, scipy <c>sosfiltfilt</c>) → <see cref="NotchHz"/>
/// (scipy <c>iirnotch</c> + <c>filtfilt</c>) → <see cref="ResampleHz"/> (scipy <c>resample_poly</c>) →
/// <see cref="Normalization"/>. A null stage is skipped. Non-finite input is refused unless
/// <see cref="RepairNonFinite"/> is set.
/// </summary>
public sealed record PreprocessingConfig
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Sampling rate of the input in Hz.</summary>
    public required double SamplingRateHz { get; init; }
    /// <summary>Butterworth band-pass edges in Hz, or null.</summary>
    public FrequencyBand? BandPass { get; init; }
    /// <summary>Butterworth high-pass cut-off in Hz, or null.</summary>
    public double? HighPassHz { get; init; }
    /// <summary>Butterworth low-pass cut-off in Hz, or null.</summary>
    public double? LowPassHz { get; init; }
    /// <summary>Butterworth order (scipy's N; a band-pass has 2N poles).</summary>
    public int FilterOrder { get; init; } = 4;
    /// <summary>Notch (power-line) frequency in Hz, or null.</summary>
    public double? NotchHz { get; init; }
    /// <summary>Notch quality factor Q.</summary>
    public double NotchQuality { get; init; } = 30;
    /// <summary>Target sampling rate in Hz (whole number), or null to keep the input rate.</summary>
    public double? ResampleHz { get; init; }
    /// <summary>Final scaling.</summary>
    public NormalizationMethod Normalization { get; init; } = NormalizationMethod.None;
    /// <summary>
    /// How NaN/∞ input samples are repaired before filtering (per lead), or null to refuse such input with an error
    /// naming the record, lead and sample (the default: a silent repair can hide a broken recording).
    /// </summary>
    public Normalization.NonFiniteRepair? RepairNonFinite { get; init; }

    /// <summary>Serialises to one line of JSON (snake_case).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <summary>Reads a configuration written by <see cref="ToJson"/>.</summary>
    /// <exception cref="JsonException">The text is not a valid configuration.</exception>
    public static PreprocessingConfig FromJson(string json) =>
        JsonSerializer.Deserialize<PreprocessingConfig>(json, s_json) ?? throw new JsonException("preprocessing config is null");
}
