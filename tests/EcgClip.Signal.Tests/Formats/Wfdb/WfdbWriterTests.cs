using EcgClip.Signal.Formats.Wfdb;
using EcgClip.Signal.Records;
using EcgClip.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcgClip.Signal.Tests.Formats.Wfdb;

/// <summary>
/// WFDB writer round trips. Oracles: PhysioNet's own signal files (writing what was read reproduces 00001_hr.dat
/// (format 16) and 100.dat (format 212) byte for byte) and the original headers' checksums.
/// </summary>
public sealed class WfdbWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ecgclip-wfdb-write-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    [Theory]
    [InlineData("wfdb_python_samples/sample-data/100", 212)]
    [InlineData("wfdb_python_samples/sample-data/test01_00s", 16)]
    public void Write_RecordJustRead_SignalFileBytesEqualPhysioNetOriginal(string record, int format)
        => WriteRoundTrip(TestPaths.Fixture([.. (record + ".hea").Split('/')]), format);

    [SharedDataFact("ptbxl/records500/00000/00001_hr.hea")]
    public void Write_PtbXl500HzRecordJustRead_SignalFileBytesEqualPhysioNetOriginal()
        => WriteRoundTrip(TestPaths.Shared("ptbxl", "records500", "00000", "00001_hr.hea"), 16);

    private void WriteRoundTrip(string hea, int format)
    {
        var original = WfdbReader.Read(hea);
        string written = WfdbWriter.Write(_dir, "rt", original, new WfdbWriteOptions { Format = format });
        var originalHeader = WfdbHeaderParser.ParseFile(hea);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(hea)!, originalHeader.Signals[0].FileName)), File.ReadAllBytes(Path.Combine(_dir, "rt.dat")));
        var header = WfdbHeaderParser.ParseFile(written);
        for (int c = 0; c < header.Signals.Count; c++)
        {
            Assert.Equal((short)originalHeader.Signals[c].Checksum!.Value, (short)header.Signals[c].Checksum!.Value);
            Assert.Equal(originalHeader.Signals[c].InitialValue, header.Signals[c].InitialValue);
        }
        var back = WfdbReader.Read(written);
        Assert.Equal(original.SamplingRate, back.SamplingRate);
        for (int c = 0; c < original.Channels.Count; c++)
        {
            Assert.Equal(original.Channels[c].Digital, back.Channels[c].Digital);
            Assert.Equal(original.Channels[c].Physical, back.Channels[c].Physical);
            Assert.Equal(original.Channels[c].Name, back.Channels[c].Name);
        }
    }

    [Fact]
    public void Write_CincRecord_MetadataAndLabelsRoundTrip()
    {
        var r = WfdbReader.Read(TestPaths.Fixture("cinc2021_samples", "HR06002.hea"));
        var back = WfdbReader.Read(WfdbWriter.Write(_dir, "HR06002", r));
        Assert.Equal(r.Metadata.Age, back.Metadata.Age);
        Assert.Equal(r.Metadata.Sex, back.Metadata.Sex);
        Assert.Equal(r.Labels, back.Labels);
    }

    [Fact]
    public void Write_PhysicalOnlyChannel_QuantisedAtDefaultGainWithNaNAsInvalid()
    {
        var rec = new EcgRecord("p", 500, [new EcgChannel("I", [0.0012, -1.5, double.NaN, 2.0004])]);
        var back = WfdbReader.Read(WfdbWriter.Write(_dir, "p", rec, new WfdbWriteOptions { Format = 212 }));
        Assert.Equal([1, -1500, -2048, 2000], back.Channels[0].Digital!);
        Assert.Equal(0.001, back.Channels[0].Physical[0]);
        Assert.True(double.IsNaN(back.Channels[0].Physical[2]));
    }

    [Fact]
    public void Write_ValueOutOfFormatRange_ThrowsArgumentException()
    {
        var rec = new EcgRecord("p", 500, [new EcgChannel("I", [3.0, 0], [3000, 0], gain: 1000)]);
        Assert.Throws<ArgumentException>(() => WfdbWriter.Write(_dir, "p", rec, new WfdbWriteOptions { Format = 212 }));
    }

    [Property(MaxTest = 200)]
    public Property WriteRead_RandomDigital_Identical(int[] a, int[] b, bool use212)
    {
        int n = Math.Min(a.Length, b.Length);
        int lim = use212 ? 2047 : 32767;
        int[] Clip(int[] x) => x.Take(n).Select(v => Math.Clamp(v % (lim + 1), -lim, lim)).ToArray();
        var da = Clip(a);
        var db = Clip(b);
        var rec = new EcgRecord("f", 250, [new EcgChannel("I", da.Select(v => v / 200.0).ToArray(), da, 200), new EcgChannel("II", db.Select(v => (v - 5) / 200.0).ToArray(), db, 200, 5)]);
        string name = "f" + Environment.CurrentManagedThreadId;
        var back = WfdbReader.Read(WfdbWriter.Write(_dir, name, rec, new WfdbWriteOptions { Format = use212 ? 212 : 16 }));
        return (back.SampleCount == n && back.Channels[0].Digital!.SequenceEqual(da) && back.Channels[1].Digital!.SequenceEqual(db)).ToProperty();
    }

    [Property(MaxTest = 300)]
    public Property Codec_EncodeDecode_AllFormatsRoundTrip(int[] values, NonNegativeInt which)
    {
        int[] formats = [16, 24, 32, 61, 80, 160, 212, 310, 311];
        int fmt = formats[which.Get % formats.Length];
        int bits = fmt switch { 80 => 8, 212 => 12, 310 or 311 => 10, 24 => 24, 32 => 32, _ => 16 };
        long lo = -(1L << (bits - 1)), hi = (1L << (bits - 1)) - 1;
        var x = values.Select(v => (int)Math.Clamp((long)v, lo, hi)).ToArray();
        var bytes = new byte[WfdbCodec.BytesFor(fmt, x.Length)];
        WfdbCodec.Encode(fmt, x, bytes);
        Assert.Equal(x.Length, WfdbCodec.SamplesIn(fmt, bytes.Length) >= x.Length ? x.Length : -1);
        var y = new int[x.Length];
        WfdbCodec.Decode(fmt, bytes, y);
        return x.SequenceEqual(y).ToProperty();
    }
}
