using EcgClip.Signal.Formats.Wfdb;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Tests.Formats.Wfdb;

/// <summary>Variable-layout multi-segment records built on disk: name mapping, gaps, and rescaling to the layout's gain.</summary>
public sealed class WfdbMultiSegmentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ecgclip-multiseg-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    [Fact]
    public void Read_VariableLayout_MapsByNameFillsGapsAndRescalesToLayoutGain()
    {
        // Segment a: II at 200/mV (layout says 100/mV) and V; segment b: V only. A 2-sample null segment between them.
        var a = new EcgRecord("a", 100, [new EcgChannel("V", [0.5, 0.25, 0], [50, 25, 0], 100), new EcgChannel("II", [1.0, -2.0, 0.5], [200, -400, 100], 200)]);
        var b = new EcgRecord("b", 100, [new EcgChannel("V", [1.0, 2.0], [100, 200], 100)]);
        WfdbWriter.Write(_dir, "seg_a", a, new WfdbWriteOptions { WriteComments = false });
        WfdbWriter.Write(_dir, "seg_b", b, new WfdbWriteOptions { WriteComments = false });
        File.WriteAllText(Path.Combine(_dir, "layout.hea"), "layout 2 100 0\n~ 0 100(0)/mV 16 0 0 0 0 II\n~ 0 100(0)/mV 16 0 0 0 0 V\n");
        File.WriteAllText(Path.Combine(_dir, "rec.hea"), "rec/4 2 100 7\nlayout 0\nseg_a 3\n~ 2\nseg_b 2\n");

        var r = WfdbReader.Read(Path.Combine(_dir, "rec"));
        Assert.Equal(["II", "V"], r.Channels.Select(c => c.Name).ToArray());
        var ii = r.Channels[0];
        Assert.Equal(100, ii.Gain);
        Assert.Equal([1.0, -2.0, 0.5], ii.Physical.Take(3).ToArray());
        Assert.Equal([100, -200, 50], ii.Digital!.Take(3).ToArray());
        Assert.All(ii.Physical.Skip(3), v => Assert.True(double.IsNaN(v))); // gap, then a segment without II
        Assert.All(ii.Digital!.Skip(3), v => Assert.Equal(ii.InvalidValue, v));
        var v = r.Channels[1];
        Assert.Equal([0.5, 0.25, 0, double.NaN, double.NaN, 1.0, 2.0], v.Physical);

        var part = WfdbReader.Read(Path.Combine(_dir, "rec"), new WfdbReadOptions { From = 2, To = 6, Channels = [1] });
        Assert.Equal([0, double.NaN, double.NaN, 1.0], part.Channels[0].Physical);
    }

    [Fact]
    public void Read_SegmentLengthDisagreesWithMaster_ThrowsNamingSegment()
    {
        var a = new EcgRecord("a", 100, [new EcgChannel("V", [0.5, 0.25, 0], [50, 25, 0], 100)]);
        WfdbWriter.Write(_dir, "seg_a", a, new WfdbWriteOptions { WriteComments = false });
        File.WriteAllText(Path.Combine(_dir, "bad.hea"), "bad/1 1 100 5\nseg_a 5\n");
        var ex = Assert.Throws<EcgFormatException>(() => WfdbReader.Read(Path.Combine(_dir, "bad")));
        Assert.EndsWith("seg_a.hea", ex.Path);
    }
}
