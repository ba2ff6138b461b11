namespace EcgClip.Signal.Dsp.Augmentation;

/// <summary>
/// Random ECG augmentations for contrastive pretraining, as data. Every stage is off at its default. They are
/// applied per record in this order: random crop → amplitude scaling → baseline wander → power-line noise →
/// Gaussian noise → time masking → lead dropout. Amplitudes are in the signal's units (mV, or standard
/// deviations for z-scored input).
/// </summary>
public sealed record AugmentationConfig
{
    /// <summary>Sampling rate in Hz (for baseline wander and power-line frequencies).</summary>
    public double SamplingRateHz { get; init; } = 500;
    /// <summary>Random crop to this many samples (a uniformly random window, the same for all leads of a record), or null.</summary>
    public int? CropLength { get; init; }
    /// <summary>Amplitude scaling: each record is multiplied by a factor uniform in [ScaleMin, ScaleMax].</summary>
    public double ScaleMin { get; init; } = 1;
    /// <summary>Upper bound of the amplitude factor.</summary>
    public double ScaleMax { get; init; } = 1;
    /// <summary>Baseline wander: peak amplitude of an added sum of two sinusoids below <see cref="BaselineWanderMaxHz"/> (0 = off).</summary>
    public double BaselineWanderAmplitude { get; init; }
    /// <summary>Highest baseline-wander frequency in Hz (frequencies are uniform in [0.05, this]).</summary>
    public double BaselineWanderMaxHz { get; init; } = 0.5;
    /// <summary>Power-line interference: amplitude of an added sinusoid at <see cref="PowerlineHz"/> with random phase (0 = off).</summary>
    public double PowerlineAmplitude { get; init; }
    /// <summary>Power-line frequency in Hz (50 or 60).</summary>
    public double PowerlineHz { get; init; } = 50;
    /// <summary>Standard deviation of added white Gaussian noise (0 = off).</summary>
    public double NoiseStd { get; init; }
    /// <summary>Probability that a record gets one time mask (a zeroed window across all leads).</summary>
    public double TimeMaskProbability { get; init; }
    /// <summary>Longest time mask as a fraction of the (cropped) length.</summary>
    public double TimeMaskMaxFraction { get; init; } = 0.1;
    /// <summary>Probability that each lead is zeroed; at least one lead always survives.</summary>
    public double LeadDropoutProbability { get; init; }
}
