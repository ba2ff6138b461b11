namespace EcgClip.Core.Precision;

/// <summary>The number format the forward and backward passes run in; weights and optimiser state always stay float32.</summary>
public enum ComputePrecision
{
    /// <summary>Everything in float32.</summary>
    Float32,

    /// <summary>
    /// Mixed precision: forward and backward in bfloat16 on a compute copy of the model (oneDNN's <c>avx512_core_bf16</c>
    /// kernels on CPUs with AVX512-BF16, tensor cores on GPUs), float32 master weights, gradients, loss and optimiser state.
    /// </summary>
    BFloat16,
}

/// <summary>Parsing of <see cref="ComputePrecision"/> names as the CLI takes them.</summary>
public static class ComputePrecisions
{
    /// <summary>"float32"/"fp32"/"f32" or "bf16"/"bfloat16" (case-insensitive).</summary>
    public static bool TryParse(string? text, out ComputePrecision precision)
    {
        precision = ComputePrecision.Float32;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "float32": case "fp32": case "f32": return true;
            case "bf16": case "bfloat16": precision = ComputePrecision.BFloat16; return true;
            default: return false;
        }
    }

    /// <summary>The canonical name: "float32" or "bf16".</summary>
    public static string ToName(this ComputePrecision precision) => precision == ComputePrecision.BFloat16 ? "bf16" : "float32";
}
