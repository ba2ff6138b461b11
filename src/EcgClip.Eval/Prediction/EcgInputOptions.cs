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

    /// <summary>
    /// Input amplitudes are rounded to this resolution in mV (at the file's own rate, before resampling) so that exports
    /// of one ECG that differ only by a converter's rounding give the same result; 0 turns it off. The default, 1 µV, is
    /// the resolution of PTB-XL (gain 1000/mV), the training data, and far below an electrocardiograph's noise floor
    /// (≈10 µV). Why it matters: GE MUSE stores 4.88 µV steps, its WFDB conversion rounds them to whole µV; that
    /// ≤0.5 µV difference, correlated with the signal, moved a head's probability by 1.07e-3 (Prediction/README.md).
    /// A file stored at a coarser step (e.g. 4.88 or 5 µV) is on a different grid and keeps its values within 0.5 µV.
    /// </summary>
    public double InputResolutionMv { get; init; } = 0.001;

    /// <summary>Checks the options; returns the problems found.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Preprocessing is null) errors.Add("preprocessing is required");
        if (Samples < 16) errors.Add("samples must be at least 16");
        if (Leads is null || Leads.Count == 0) errors.Add("leads must not be empty");
        if (!(MaxPaddingFraction >= 0 && MaxPaddingFraction < 1)) errors.Add("maxPaddingFraction must be in [0, 1)");
        if (!(InputResolutionMv >= 0 && InputResolutionMv <= 0.1)) errors.Add("inputResolutionMv must be between 0 (off) and 0.1 mV");
        return errors;
    }
}
