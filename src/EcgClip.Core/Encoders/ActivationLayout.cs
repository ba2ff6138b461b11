using TorchSharp;

namespace EcgClip.Core.Encoders;

/// <summary>
/// How the ResNet encoders lay out their activations in memory while they compute. The results are the same up to
/// summation order (tested within 1e-5); only the speed differs. The parameters, checkpoints and every tensor an
/// encoder hands out keep the usual [batch, channels, samples] shape.
/// </summary>
public enum ActivationLayout
{
    /// <summary>
    /// <see cref="ChannelsLast"/> on CPUs with AVX-512 (where oneDNN has its brgemm convolutions), else
    /// <see cref="ChannelsFirst"/>. The default.
    /// </summary>
    Auto,

    /// <summary>[batch, channels, samples] contiguous, as PyTorch's eager Conv1d runs: oneDNN reorders every convolution's
    /// input and output between this and its blocked layout.</summary>
    ChannelsFirst,

    /// <summary>
    /// Samples-major ("NWC", a 2-D channels-last tensor of height 1): oneDNN's brgemm convolutions read and write it
    /// directly, so the layout reorders around each convolution disappear, and batch norm, ReLU and the residual adds
    /// run on the same memory. Measured on a 2-core AMD EPYC with AVX-512 (benchmarks/README.md): ResNet-18 training
    /// +15–25% over <see cref="ChannelsFirst"/>; with oneDNN limited to AVX2 no gain (its AVX2 weight-gradient kernel
    /// is slower in this layout), which is why <see cref="Auto"/> chooses it only with AVX-512.
    /// </summary>
    ChannelsLast,
}

/// <summary>Resolves <see cref="ActivationLayout.Auto"/> for a device.</summary>
public static class ActivationLayouts
{
    /// <summary>The x86 flags oneDNN's <c>avx512_core</c> kernels need (Linux's names in <c>/proc/cpuinfo</c>).</summary>
    public static IReadOnlyList<string> Avx512CoreFlags { get; } = ["avx512f", "avx512bw", "avx512vl", "avx512dq"];

    /// <summary>True when a computation on <paramref name="device"/> should run channels-last.</summary>
    public static bool UseChannelsLast(ActivationLayout layout, DeviceType device) => layout switch
    {
        ActivationLayout.ChannelsLast => true,
        ActivationLayout.ChannelsFirst => false,
        // Measured on CPUs only; CUDA keeps the layout PyTorch users get.
        _ => device == DeviceType.CPU && CpuHasAvx512Core(),
    };

    /// <summary>Whether this machine's CPU has every flag in <see cref="Avx512CoreFlags"/> (false when unknown).</summary>
    public static bool CpuHasAvx512Core() => s_avx512.Value;

    /// <summary>Whether a flags set (see <see cref="Precision.CpuFlags.Parse"/>) has every flag in <see cref="Avx512CoreFlags"/>.</summary>
    public static bool HasAvx512Core(IReadOnlySet<string>? flags) => flags is not null && Avx512CoreFlags.All(flags.Contains);

    private static readonly Lazy<bool> s_avx512 = new(() => HasAvx512Core(Precision.CpuFlags.ThisCpu()));
}
