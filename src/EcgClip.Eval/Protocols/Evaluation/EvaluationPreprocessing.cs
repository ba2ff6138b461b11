using EcgClip.Signal.Dsp.Normalization;
using EcgClip.Signal.Dsp.Preprocessing;

namespace EcgClip.Eval.Protocols;

/// <summary>The preprocessing of evaluation inputs when the model brings none, and its adaptation to a record's rate.</summary>
public static class EvaluationPreprocessing
{
    /// <summary>
    /// The default: non-finite samples interpolated, resampling to the encoder's rate when the record's differs, then
    /// z-scoring per lead ((x − mean) / (std + 1e-8)). No filtering.
    /// </summary>
    /// <param name="recordRateHz">Sampling rate of the records (Hz).</param>
    /// <param name="encoderRateHz">Sampling rate the encoder expects (Hz).</param>
    public static PreprocessingConfig Default(double recordRateHz, double encoderRateHz) => new()
    {
        SamplingRateHz = recordRateHz,
        ResampleHz = recordRateHz == encoderRateHz ? null : encoderRateHz,
        Normalization = NormalizationMethod.ZScore,
        RepairNonFinite = NonFiniteRepair.Interpolate,
    };

    /// <summary>
    /// <paramref name="config"/> (a checkpoint's, or null for <see cref="Default"/>) applied to records sampled at
    /// <paramref name="recordRateHz"/>: its input rate becomes the record's and it resamples to the encoder's rate.
    /// </summary>
    public static PreprocessingConfig For(PreprocessingConfig? config, double recordRateHz, double encoderRateHz) =>
        config is null
            ? Default(recordRateHz, encoderRateHz)
            : config with { SamplingRateHz = recordRateHz, ResampleHz = recordRateHz == encoderRateHz ? null : encoderRateHz };
}
