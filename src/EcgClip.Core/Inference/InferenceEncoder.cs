using EcgClip.Core.Abstractions;
using EcgClip.Core.Encoders;
using EcgClip.Core.Precision;

namespace EcgClip.Core.Inference;

/// <summary>
/// Builds the fast, eval-only form of a trained ECG encoder for embeddings and predictions (the predictor, evaluation
/// embeddings, <c>ecgclip bench infer</c>).
/// </summary>
/// <remarks>
/// For a <see cref="ResNetEcgEncoder"/>: every convolution absorbs its batch norm's running statistics (outputs equal the
/// trained encoder's eval-mode outputs within float32 rounding, about 1e-6 relative), ReLUs and residual adds run in
/// place, intermediates are freed as soon as they are consumed, and <see cref="IEcgEncoder.Encode"/> runs under
/// <c>inference_mode</c>. With <see cref="ComputePrecision.BFloat16"/> the backbone's folded weights and activations are
/// bfloat16 (the head and the returned embedding stay float32), about 3 significant digits; on a CPU without bf16
/// instructions they are float32 tensors holding bf16-rounded values (<see cref="Bf16Kernels.Float32Emulated"/>), which
/// computes the same numbers at float32 speed instead of libtorch's 30× slower bf16 emulation.
/// <para>The copy is a snapshot: later changes to the trained encoder's weights do not reach it (build a new one after
/// training). It owns its own tensors (dispose it; disposing the trained encoder does not affect it) and lives on the
/// trained encoder's device. Thread-safe: it keeps no per-call state.</para>
/// </remarks>
public static class InferenceEncoder
{
    /// <summary>Builds the inference form of <paramref name="trained"/> in <paramref name="precision"/> (bf16 on <paramref name="kernels"/>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="trained"/> is null.</exception>
    /// <exception cref="NotSupportedException"><paramref name="trained"/> is not an encoder this class knows how to fold.</exception>
    public static IEcgEncoder Create(IEcgEncoder trained, ComputePrecision precision = ComputePrecision.Float32, Bf16Kernels kernels = Bf16Kernels.Auto)
    {
        ArgumentNullException.ThrowIfNull(trained);
        return trained switch
        {
            ResNetEcgEncoder resnet => new FoldedResNetEncoder(resnet, precision, kernels),
            _ => throw new NotSupportedException($"no inference form for encoder type {trained.GetType().Name}; use its Encode under no_grad in eval mode"),
        };
    }
}
