using EcgClip.Signal.Formats.Wfdb;
using EcgClip.Testing;

namespace EcgClip.Signal.Tests.Formats.Wfdb;

/// <summary>
/// Samples-per-frame expansion. Oracle: test01_00s_frame.hea reinterprets test01_00s.dat (4 signals x 4000, verified by
/// rdsamp oracle record-1a) with 2 samples per frame for signal 1, so its expanded signal 1 is the interleave of the
/// original signals 1 and 2, and signals 0/2 are the original 0/3.
/// </summary>
public sealed class WfdbExpandedTests
{
    [Fact]
    public void Read_TwoSamplesPerFrame_InterleavesOriginalColumns()
    {
        var original = WfdbReader.Read(TestPaths.Fixture("wfdb_python_samples", "sample-data", "test01_00s.hea"));
        var expanded = WfdbExpanded.Read(TestPaths.Fixture("wfdb_python_samples", "sample-data", "test01_00s_frame.hea"));
        Assert.Equal(3, expanded.Count);
        Assert.Equal(original.Channels[0].Digital, expanded[0].Digital);
        Assert.Equal(original.Channels[3].Digital, expanded[2].Digital);
        Assert.Equal(2, expanded[1].SamplesPerFrame);
        Assert.Equal(1000, expanded[1].SamplingRate);
        Assert.Equal(8000, expanded[1].Digital.Length);
        for (int t = 0; t < 4000; t++)
        {
            Assert.Equal(original.Channels[1].Digital![t], expanded[1].Digital[2 * t]);
            Assert.Equal(original.Channels[2].Digital![t], expanded[1].Digital[2 * t + 1]);
        }
    }

    [Fact]
    public void Read_FourSamplesPerFrameMultiSegment_FrameCountsScale()
    {
        // 041s: III, I, V at 212x4 and four signals at 1 sample per frame, two segments of 1000 frames.
        var e = WfdbExpanded.Read(TestPaths.Fixture("wfdb_python_samples", "sample-data", "multi-segment", "041s", "041s.hea"));
        Assert.Equal(8000, e[0].Digital.Length);
        Assert.Equal(2000, e[3].Digital.Length);
        Assert.Equal(500, e[0].SamplingRate);
        // The first stored samples are the header's initial values (041s01.hea: III 168, ABP -242).
        Assert.Equal(168, e[0].Digital[0]);
        Assert.Equal(-242, e[3].Digital[0]);
    }
}
