using static TorchSharp.torch;

namespace EcgClip.Core.Precision;

/// <summary>How bfloat16 inference is executed.</summary>
public enum Bf16Kernels
{
    /// <summary><see cref="Native"/> where the device has bf16 instructions (or is not a CPU), otherwise <see cref="Float32Emulated"/>.</summary>
    Auto,

    /// <summary>Weights and activations stored as bf16 tensors and computed by libtorch's bf16 kernels.</summary>
    Native,

    /// <summary>
    /// float32 tensors whose values are rounded to bf16 wherever the native path stores bf16: weights, the input, every
    /// convolution output, residual sum and the pooled features. A bf16 convolution multiplies bf16 operands and
    /// accumulates in float32 (oneDNN), which float32 arithmetic on bf16-valued operands reproduces up to summation
    /// order; so this computes what a bf16 CPU computes, at float32 speed. XLA's float normalisation does the same on
    /// backends without bf16. Without bf16 instructions libtorch's own bf16 kernels convert every operand and ran
    /// ResNet-18 inference at 2.45 ECG/s against 72 in float32 on an AVX2-only EPYC (benchmarks/README.md).
    /// </summary>
    Float32Emulated,
}

/// <summary>Resolution of <see cref="Bf16Kernels.Auto"/> and the bf16 rounding the emulated path applies.</summary>
public static class Bf16Execution
{
    /// <summary>The kernels <paramref name="requested"/> means on <paramref name="device"/> (Auto: by <see cref="Bf16Support.Detect"/>).</summary>
    public static Bf16Kernels Resolve(Bf16Kernels requested, string device = "cpu") =>
        requested != Bf16Kernels.Auto ? requested
        : Bf16Support.Detect(device).Native == false ? Bf16Kernels.Float32Emulated : Bf16Kernels.Native;

    /// <summary>Rounds the float32 tensor <paramref name="x"/> in place to the nearest bf16 value (ties to even, as a cast does); returns it.</summary>
    public static Tensor RoundInPlace(Tensor x)
    {
        using var rounded = x.to(ScalarType.BFloat16);
        return x.copy_(rounded);
    }

    /// <summary>Name used in JSON and logs: <c>native</c> or <c>float32-emulated</c>.</summary>
    public static string ToName(this Bf16Kernels kernels) => kernels switch
    {
        Bf16Kernels.Native => "native",
        Bf16Kernels.Float32Emulated => "float32-emulated",
        _ => "auto",
    };
}
