using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using EcgClip.Core.Precision;

namespace EcgClip.Benchmarks;

/// <summary>
/// The instruction-set class of this machine's CPU, which keys the benchmark baselines. Vectorised DSP runs about
/// 1.8× slower with 256-bit than with 512-bit vectors, and the encoder's oneDNN kernels up to 3× slower on an
/// AVX2-only CPU than on an AVX512-BF16 one (measured, benchmarks/README.md), so a baseline is only comparable
/// on the class it was recorded on.
/// </summary>
internal static class CpuClass
{
    /// <summary>e.g. <c>x64-avx512-bf16</c>, <c>x64-avx512</c>, <c>x64-avx2</c>, <c>arm64-bf16</c>.</summary>
    public static string Current() => Describe(RuntimeInformation.ProcessArchitecture, Avx512F.IsSupported, Avx2.IsSupported, Bf16Support.Detect().Native == true);

    /// <summary>The class name for the given features (separate from <see cref="Current"/> so it can be tested).</summary>
    public static string Describe(Architecture architecture, bool avx512, bool avx2, bool bf16)
    {
        string isa = architecture switch
        {
            Architecture.X64 => avx512 ? "x64-avx512" : avx2 ? "x64-avx2" : "x64",
            _ => architecture.ToString().ToLowerInvariant(),
        };
        return bf16 ? isa + "-bf16" : isa;
    }
}
