using EcgClip.Signal.Datasets;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Tests.Datasets.Embedded;

public sealed class EcgPackTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ecgclip-pack-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static EcgRecord Random(string name, string[] leads, int length, int seed, double gain = 1000, int baseline = 0)
    {
        var rng = new Random(seed);
        var channels = leads.Select(l =>
        {
            var d = new int[length];
            int v = rng.Next(-3000, 3000);
            for (int i = 0; i < length; i++) d[i] = v = Math.Clamp(v + rng.Next(-400, 401), -32767, 32767);
            return new EcgChannel(l, d.Select(x => (x - baseline) / gain).ToArray(), d, gain, baseline, "mV");
        }).ToList();
        return new EcgRecord(name, 100, channels);
    }

    private static readonly string[] s_canonical = ["I", "II", "III", "AVR", "AVL", "AVF", "V1", "V2", "V3", "V4", "V5", "V6"];

    [Fact]
    public void WriteOpen_CanonicalAndOtherLayouts_DigitalAndPhysicalExact()
    {
        var records = new[]
        {
            ("a/r1", Random("r1", s_canonical, 1000, 1)),                           // limb-residual path (random limb leads: large residuals)
            ("a/r2", Random("r2", ["V6", "I", "II"], 333, 2, gain: 200, baseline: -17)), // plain differences, odd length
            ("b/r3", Random("r3", s_canonical, 0, 3)),                              // empty record
            ("b/r4", Random("r4", s_canonical, 1, 4, baseline: 1024)),              // one sample, shifted baseline
        };
        string path = Path.Combine(_dir, "x.ecgpack");
        Assert.Equal(4, EcgPackWriter.Write(path, records, quality: 5));
        var pack = EcgPack.Open(path);
        Assert.Equal(["a/r1", "a/r2", "b/r3", "b/r4"], pack.Keys);
        foreach (var (key, expected) in records)
        {
            var got = pack.Load(key);
            Assert.Equal(expected.SamplingRate, got.SamplingRate);
            Assert.Equal(expected.Channels.Select(c => c.Name), got.Channels.Select(c => c.Name));
            for (int c = 0; c < expected.Channels.Count; c++)
            {
                Assert.Equal(expected.Channels[c].Digital, got.Channels[c].Digital);
                Assert.Equal(expected.Channels[c].Physical, got.Channels[c].Physical);
                Assert.Equal(expected.Channels[c].Gain, got.Channels[c].Gain);
                Assert.Equal(expected.Channels[c].Baseline, got.Channels[c].Baseline);
            }
        }
        Assert.False(File.Exists(path + $".tmp-{Environment.ProcessId}"));
    }

    [Fact]
    public void Write_DerivedLimbLeads_CompressesFarBelowRawSize()
    {
        // Real-like limb leads (III = II - I etc. up to rounding) should cost almost nothing beside I and II.
        var baseRec = Random("r", ["I", "II", "V1", "V2", "V3", "V4", "V5", "V6"], 1000, 7);
        int[] i1 = baseRec.Channels[0].Digital!, i2 = baseRec.Channels[1].Digital!;
        int[] Derive(Func<int, int, double> f) => i1.Select((a, t) => (int)Math.Round(f(a, i2[t]))).ToArray();
        var limbs = new[] { Derive((a, b) => b - a), Derive((a, b) => -(a + b) / 2.0), Derive((a, b) => a - b / 2.0), Derive((a, b) => b - a / 2.0) };
        var chans = new List<EcgChannel> { baseRec.Channels[0], baseRec.Channels[1] };
        string[] names = ["III", "AVR", "AVL", "AVF"];
        for (int k = 0; k < 4; k++) chans.Add(new EcgChannel(names[k], limbs[k].Select(x => x / 1000.0).ToArray(), limbs[k], 1000, 0, "mV"));
        chans.AddRange(baseRec.Channels.Skip(2));
        var full = new EcgRecord("r", 100, chans);
        string withLimbs = Path.Combine(_dir, "limbs.ecgpack"), without = Path.Combine(_dir, "eight.ecgpack");
        EcgPackWriter.Write(withLimbs, [("r", full)], quality: 9);
        EcgPackWriter.Write(without, [("r", baseRec)], quality: 9);
        long extra = new FileInfo(withLimbs).Length - new FileInfo(without).Length;
        Assert.True(extra < 1000, $"four derived limb leads cost {extra} bytes (8 stored leads: {new FileInfo(without).Length})");
        var back = EcgPack.Open(withLimbs).Load("r");
        for (int c = 0; c < 12; c++) Assert.Equal(full.Channels[c].Digital, back.Channels[c].Digital);
    }

    [Fact]
    public void Write_DuplicateKeyOrMissingDigital_Throws()
    {
        var r = Random("r", ["I"], 10, 1);
        Assert.Throws<ArgumentException>(() => EcgPackWriter.Write(Path.Combine(_dir, "d.ecgpack"), [("k", r), ("k", r)]));
        var noDigital = new EcgRecord("f", 100, [new EcgChannel("I", [0.1, 0.2])]);
        var ex = Assert.Throws<ArgumentException>(() => EcgPackWriter.Write(Path.Combine(_dir, "f.ecgpack"), [("f", noDigital)]));
        Assert.Contains("no digital samples", ex.Message);
    }

    [Theory]
    [InlineData("magic")]
    [InlineData("truncated")]
    [InlineData("flipped")]
    [InlineData("version")]
    public void Open_DamagedFile_ThrowsNamingFileAndReason(string damage)
    {
        string path = Path.Combine(_dir, "ok.ecgpack");
        EcgPackWriter.Write(path, [("r", Random("r", s_canonical, 500, 3))], quality: 5);
        byte[] b = File.ReadAllBytes(path);
        switch (damage)
        {
            case "magic": b[0] = (byte)'X'; break;
            case "truncated": b = b[..^10]; break;
            case "flipped": b[^5] ^= 0x01; break;
            case "version": b[8] = 9; break;
        }
        string bad = Path.Combine(_dir, damage + ".ecgpack");
        File.WriteAllBytes(bad, b);
        var ex = Assert.Throws<EcgFormatException>(() => EcgPack.Open(bad));
        Assert.Equal(bad, ex.Path);
        Assert.True(ex.Reason.Length > 10, ex.Reason);
    }

    [Fact]
    public void Load_UnknownKey_ThrowsNamingPackAndKey()
    {
        string path = Path.Combine(_dir, "k.ecgpack");
        EcgPackWriter.Write(path, [("r", Random("r", ["I"], 5, 1))], quality: 1);
        var ex = Assert.Throws<KeyNotFoundException>(() => EcgPack.Open(path).Load("nope"));
        Assert.Contains("nope", ex.Message);
        Assert.Contains(path, ex.Message);
    }
}
