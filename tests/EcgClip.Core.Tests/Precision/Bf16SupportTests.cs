using EcgClip.Core.Precision;

namespace EcgClip.Core.Tests.Precision;

public sealed class Bf16SupportTests
{
    // flag lines as the Linux kernel prints them (abridged): an AVX2-only AMD EPYC (Zen 3), a Sapphire Rapids Xeon, an Arm Neoverse V1
    private const string Zen3 = "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu sse2 avx avx2 fma bmi2 sha_ni vaes\n\nprocessor\t: 1\nflags\t\t: fpu sse2 avx avx2\n";
    private const string SapphireRapids = "processor\t: 0\nflags\t\t: fpu avx2 avx512f avx512bw avx512_bf16 avx512_vnni amx_bf16 amx_tile amx_int8\n";
    private const string NeoverseV1 = "processor\t: 0\nFeatures\t: fp asimd evtstrm aes sve asimdbf16 bf16 i8mm\nCPU implementer\t: 0x41\n";

    [Fact]
    public void FromCpuInfo_ReadsTheFlags()
    {
        Assert.False(Bf16Support.FromCpuInfo(Zen3).Native);
        Assert.Contains("avx512_bf16", Bf16Support.FromCpuInfo(Zen3).Reason);
        var spr = Bf16Support.FromCpuInfo(SapphireRapids);
        Assert.True(spr.Native);
        Assert.Contains("avx512_bf16, amx_bf16", spr.Reason);
        Assert.True(Bf16Support.FromCpuInfo(NeoverseV1).Native);
        Assert.Null(Bf16Support.FromCpuInfo("processor : 0\n").Native);
    }

    [Fact]
    public void Detect_NonCpuDeviceOrMissingFile_IsUnknown()
    {
        Assert.Null(Bf16Support.Detect("cuda").Native);
        Assert.Null(Bf16Support.Detect("cpu", Path.Combine(Path.GetTempPath(), $"no-cpuinfo-{Guid.NewGuid():N}")).Native);
    }

    [Fact]
    public void Detect_OnLinux_AgreesWithTheFlagsOfThisMachine()
    {
        if (!File.Exists("/proc/cpuinfo")) return;
        string flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags") || l.StartsWith("Features")) ?? "";
        bool expected = flags.Contains(" avx512_bf16") || flags.Contains(" amx_bf16") || (flags.StartsWith("Features") && flags.Contains(" bf16"));
        Assert.Equal(expected, Bf16Support.Detect().Native);
    }
}
