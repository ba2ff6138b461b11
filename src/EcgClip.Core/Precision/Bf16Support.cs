namespace EcgClip.Core.Precision;

/// <summary>Whether a device computes bfloat16 natively.</summary>
/// <param name="Native">True when the hardware has bf16 instructions; false when libtorch would emulate them; null when unknown.</param>
/// <param name="Reason">What the answer rests on (the CPU flags found, or why nothing could be read).</param>
public sealed record Bf16Support(bool? Native, string Reason)
{
    /// <summary>The x86 CPU flags (as Linux names them in <c>/proc/cpuinfo</c>) that give oneDNN native bf16 kernels.</summary>
    public static IReadOnlyList<string> X86Flags { get; } = ["avx512_bf16", "amx_bf16"];

    /// <summary>
    /// Checks <paramref name="device"/>: for the CPU, the Linux flags in <c>/proc/cpuinfo</c> (x86: <c>avx512_bf16</c> or
    /// <c>amx_bf16</c>; Arm: <c>bf16</c>). Without them oneDNN falls back to converting every bf16 operand to float32
    /// and back: measured on an AVX2-only AMD EPYC, ResNet-18 training ran 14–28× slower in bf16 than in float32
    /// (benchmarks/README.md). CUDA devices and other systems are reported as unknown.
    /// </summary>
    public static Bf16Support Detect(string device = "cpu", string cpuInfoPath = DefaultCpuInfoPath)
    {
        if (!device.StartsWith("cpu", StringComparison.OrdinalIgnoreCase)) return new(null, $"device '{device}': not checked (CUDA: compute capability 8.0 or newer has bf16 tensor cores)");
        // The flags of this machine's CPU do not change: read them once (every inference encoder built with bf16 asks).
        return cpuInfoPath == DefaultCpuInfoPath ? s_thisCpu.Value : ReadCpuInfo(cpuInfoPath);
    }

    private const string DefaultCpuInfoPath = "/proc/cpuinfo";
    private static readonly Lazy<Bf16Support> s_thisCpu = new(() => ReadCpuInfo(DefaultCpuInfoPath));

    private static Bf16Support ReadCpuInfo(string cpuInfoPath)
    {
        if (!File.Exists(cpuInfoPath)) return new(null, $"{cpuInfoPath} not found: CPU flags not checked");
        string text;
        try
        {
            text = File.ReadAllText(cpuInfoPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new(null, $"{cpuInfoPath}: {e.Message}");
        }
        return FromCpuInfo(text, cpuInfoPath);
    }

    /// <summary>Reads the first processor's flags (x86 <c>flags</c>, Arm <c>Features</c>) from <c>/proc/cpuinfo</c> text.</summary>
    public static Bf16Support FromCpuInfo(string cpuInfo, string source = "/proc/cpuinfo")
    {
        var flags = CpuFlags.Parse(cpuInfo, out string? key);
        if (flags is not null)
        {
            var found = key == "flags" ? X86Flags.Where(flags.Contains).ToArray() : flags.Contains("bf16") ? ["bf16"] : [];
            return found.Length > 0
                ? new(true, $"{source}: {string.Join(", ", found)}")
                : new(false, $"{source}: no {(key == "flags" ? string.Join(" or ", X86Flags) : "bf16")} flag: bf16 is emulated, far slower than float32 on this CPU");
        }
        return new(null, $"{source}: no flags line");
    }
}
