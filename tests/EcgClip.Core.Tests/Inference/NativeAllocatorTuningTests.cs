using EcgClip.Core.Performance;

namespace EcgClip.Core.Tests.Inference;

public sealed class NativeAllocatorTuningTests
{
    [Fact]
    public void Apply_OnGlibcLinux_SetsThresholdsUnlessEnvironmentDoes()
    {
        var result = NativeAllocatorTuning.Apply(256 << 20);
        if (!OperatingSystem.IsLinux()) Assert.Equal(AllocatorTuningResult.NotGlibc, result);
        else if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_"))) Assert.Equal(AllocatorTuningResult.SetByEnvironment, result);
        else if (System.Runtime.InteropServices.NativeLibrary.TryLoad("libc.so.6", out _)) Assert.Equal(AllocatorTuningResult.Applied, result);
        else Assert.Equal(AllocatorTuningResult.NotGlibc, result);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Apply_NonPositiveThreshold_Throws(int bytes) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NativeAllocatorTuning.Apply(bytes));
}
