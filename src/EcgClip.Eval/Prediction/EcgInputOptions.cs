using EcgClip.Signal.Dsp.Preprocessing;

namespace EcgClip.Eval.Prediction;

/// <summary>What the model expects as input: the stored preprocessing, the input rate and length, the lead order.</summary>
public sealed record EcgInputOptions
{
    /// <summary>
    /// The preprocessing the model was trained with. Its <see cref="PreprocessingConfig.SamplingRateHz"/> is the rate
    /// the model's data had before preprocessing; a record at another rate is first resampled to it.
    /// </summary>
    public required PreprocessingConfig Preprocessing { get; init; }

    /// <summary>Samples per lead the encoder was trained on (after preprocessing), e.g. 1000 for 10 s at 100 Hz.</summary>
    public required int Samples { get; init; }

    /// <summary>The encoder's leads in input order (canonical names); the 12 standard leads by default.</summary>
    public IReadOnlyList<string> Leads { get; init; } = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"];

    /// <summary>
    /// A record shorter than <see cref="Samples"/> by more than this fraction is refused (too short to trust) rather
    /// than padded; shorter records within it are zero-padded at the end (stated in <see cref="PreparedEcg.Steps"/>).
    /// </summary>
    public double MaxPaddingFraction { get; init; } = 0.5;

    /// <summary>Checks the options; returns the problems found.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Preprocessing is null) errors.Add("preprocessing is required");
        if (Samples < 16) errors.Add("samples must be at least 16");
        if (Leads is null || Leads.Count == 0) errors.Add("leads must not be empty");
        if (!(MaxPaddingFraction >= 0 && MaxPaddingFraction < 1)) errors.Add("maxPaddingFraction must be in [0, 1)");
        return errors;
    }
}
