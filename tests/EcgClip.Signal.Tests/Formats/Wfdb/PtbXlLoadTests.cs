using EcgClip.Signal.Formats;
using EcgClip.Signal.Formats.Wfdb;
using EcgClip.Signal.Records;
using EcgClip.Testing;

namespace EcgClip.Signal.Tests.Formats.Wfdb;

/// <summary>
/// Every PTB-XL record in shared/data/ptbxl (records100 and records500) loads with checksum verification on, has the
/// 12 leads in canonical order and the documented size. Oracle: the headers' own checksum/initial-value fields
/// (SOURCE.md: "Every header's initial-value and checksum fields were verified against its .dat").
/// </summary>
public sealed class PtbXlLoadTests
{
    [Fact]
    public void Read_AllPtbXl100HzRecords_ChecksumsVerifyAndLeadsCanonical() => ReadAll(TestPaths.PtbXl("records100"), 100, 1000, 1999);

    [SharedDataFact("ptbxl/records500")]
    public void Read_AllPtbXl500HzRecords_ChecksumsVerifyAndLeadsCanonical() => ReadAll(TestPaths.Shared("ptbxl", "records500"), 500, 5000, 200);

    private static void ReadAll(string folder, double rate, int samples, int expectedCount)
    {
        var headers = Directory.GetFiles(folder, "*.hea", SearchOption.AllDirectories);
        Assert.Equal(expectedCount, headers.Length);
        var warnings = new List<string>();
        var options = new WfdbReadOptions { Checksums = WfdbChecksumPolicy.Error, Warning = warnings.Add };
        foreach (var h in headers)
        {
            var r = WfdbReader.Read(h, options);
            Assert.Equal(rate, r.SamplingRate);
            Assert.Equal(samples, r.SampleCount);
            Assert.True(EcgLeadLayout.IsCanonical12(r), $"{h}: leads {string.Join(",", r.Channels.Select(c => c.Name))}");
            Assert.Equal(1000.0, r.Channels[0].Gain);
            Assert.Equal("mV", r.Channels[0].Units);
        }
        Assert.Empty(warnings); // initial values all match too
    }

    [SharedDataFact("ptbxl/records500/00000/00001_hr.hea")]
    public void Read_PtbXl00001Hr_FirstSamplesMatchHeaderInitialValues()
    {
        // 00001_hr.hea: initial values -115, -50, 65 ... (digital, gain 1000/mV).
        var r = EcgReader.Read(TestPaths.Shared("ptbxl", "records500", "00000", "00001_hr.hea"));
        int[] initial = [-115, -50, 65, 82, -90, 7, -65, -40, -5, -35, -35, -75];
        for (int c = 0; c < 12; c++)
        {
            Assert.Equal(initial[c], r.Channels[c].Digital![0]);
            Assert.Equal(initial[c] / 1000.0, r.Channels[c].Physical[0]);
        }
    }

    [Fact]
    public void Read_Ptbxl_CorruptedByte_ChecksumErrorNamesFile()
    {
        string src = TestPaths.PtbXl("records100", "00000", "00001_lr.hea");
        string dir = Directory.CreateTempSubdirectory("ecgclip-wfdb-").FullName;
        try
        {
            File.Copy(src, Path.Combine(dir, "00001_lr.hea"));
            var dat = File.ReadAllBytes(Path.ChangeExtension(src, ".dat"));
            dat[1001] ^= 0x10; // flip one bit of one sample
            File.WriteAllBytes(Path.Combine(dir, "00001_lr.dat"), dat);
            var ex = Assert.Throws<EcgFormatException>(() => WfdbReader.Read(Path.Combine(dir, "00001_lr")));
            Assert.Contains("checksum", ex.Reason);
            Assert.EndsWith("00001_lr.dat", ex.Path);

            var warnings = new List<string>();
            var r = WfdbReader.Read(Path.Combine(dir, "00001_lr"), new WfdbReadOptions { Checksums = WfdbChecksumPolicy.Warn, Warning = warnings.Add });
            Assert.Single(warnings);
            Assert.Equal(12, r.Channels.Count);
        }
        finally { Directory.Delete(dir, true); }
    }
}
