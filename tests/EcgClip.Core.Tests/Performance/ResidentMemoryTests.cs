using System.Text;
using EcgClip.Core.Performance;

namespace EcgClip.Core.Tests.Performance;

public sealed class ResidentMemoryTests
{
    [Theory]
    [InlineData("1234 567 89 10 0 300 0\n", 567L)]
    [InlineData("1 2", 2L)]
    [InlineData("", null)]
    [InlineData("1234", null)]
    [InlineData("1234 x7 89", null)]
    public void ParseResidentPages_StatmLine_ReadsTheSecondField(string line, long? expected) =>
        Assert.Equal(expected, ResidentMemory.ParseResidentPages(Encoding.ASCII.GetBytes(line)));

    [Fact]
    public void Bytes_OnLinux_AgreesWithVmRssOfProcStatus()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.True(ResidentMemory.Bytes() > 0);
            return;
        }
        // The kernel's own VmRSS line (kB) is the oracle; other test classes run meanwhile, so allow a few MiB of drift.
        for (int attempt = 0; ; attempt++)
        {
            long before = VmRssBytes();
            long ours = ResidentMemory.Bytes()!.Value;
            long after = VmRssBytes();
            if (ours >= Math.Min(before, after) - 1024 * 1024 && ours <= Math.Max(before, after) + 1024 * 1024) return;
            Assert.True(attempt < 20, $"statm {ours} B outside VmRSS {before}..{after} B");
        }
    }

    private static long VmRssBytes()
    {
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
