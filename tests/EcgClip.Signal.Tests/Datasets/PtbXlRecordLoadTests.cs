using EcgClip.Signal.Datasets;
using EcgClip.Signal.Records;
using EcgClip.Testing;

namespace EcgClip.Signal.Tests.Datasets;

public class PtbXlRecordLoadTests
{
    private static readonly string[] s_canonical = ["I", "II", "III", "AVR", "AVL", "AVF", "V1", "V2", "V3", "V4", "V5", "V6"];

    [Fact]
    public void LoadRecord_Every100HzRecord_LoadsWithCanonicalLeads() => LoadEvery(TestPaths.PtbXl(), 100, 1999, 1000);

    [Fact]
    public void LoadRecord_EveryEmbeddedRecord_LoadsWithCanonicalLeads() => LoadEvery(null, 100, 1999, 1000);

    [SharedDataFact("ptbxl/records500")]
    public void LoadRecord_Every500HzRecord_LoadsWithCanonicalLeads() => LoadEvery(TestPaths.Shared("ptbxl"), 500, 200, 5000);

    private static void LoadEvery(string? root, int fs, int expectedCount, int samples)
    {
        var options = new PtbXlOptions { SamplingRate = fs };
        var ds = root is null ? EmbeddedPtbXl.Load(TestPaths.EmbeddedData, options) : PtbXlDataset.Load(root, options);
        Assert.Equal(expectedCount, ds.Items.Count);
        foreach (var item in ds.Items)
        {
            var rec = ds.LoadRecord(item);
            Assert.Equal(fs, rec.SamplingRate);
            Assert.Equal(samples, rec.SampleCount);
            Assert.Equal(12, rec.Channels.Count);
            for (int l = 0; l < 12; l++) Assert.Equal((Lead)l, rec.Channels[l].Lead);
            Assert.Equal(s_canonical, rec.Channels.Select(c => c.Name.ToUpperInvariant()));
        }
    }

    [Fact]
    public void LoadRecord_Record1_FirstSamplesMatchSourceNotes()
    {
        // SOURCE.md: the first digital samples of 00001_lr are -119,-55,64,86,-91,4,-69,-31,0,-26,-39,-79 (gain 1000/mV).
        var ds = PtbXlDataset.Load(TestPaths.PtbXl());
        var rec = ds.LoadRecord(ds.Items[0]);
        double[] expected = [-119, -55, 64, 86, -91, 4, -69, -31, 0, -26, -39, -79];
        for (int l = 0; l < 12; l++) Assert.Equal(expected[l] / 1000.0, rec.Channels[l].Physical[0], 9);
    }

    [Fact]
    public void Reorder_ShuffledChannels_ReturnsCanonicalOrder()
    {
        var names = new[] { "V6", "aVL", "I", "V1", "II", "III", "aVR", "aVF", "V2", "V3", "V4", "V5", "extra" };
        var rec = new EcgRecord("r", 100, names.Select((n, i) => new EcgChannel(n, [i])).ToList());
        var canon = CanonicalLeads.Reorder(rec);
        Assert.Equal(12, canon.Channels.Count);
        Assert.Equal([2.0, 4, 5, 6, 1, 7, 3, 8, 9, 10, 11, 0], canon.Channels.Select(c => c.Physical[0]));
    }

    [Fact]
    public void Reorder_MissingLead_ThrowsNamingLead()
    {
        var rec = new EcgRecord("r", 100, LeadNames.Canonical12.Take(11).Select(n => new EcgChannel(n, [0.0])).ToList(), sourcePath: "x.hea");
        var ex = Assert.Throws<EcgFormatException>(() => CanonicalLeads.Reorder(rec));
        Assert.Contains("V6", ex.Reason);
    }
}
