using EcgClip.Signal.Formats;
using EcgClip.Signal.Records;
using EcgClip.Testing;

namespace EcgClip.Signal.Tests.Formats.Cinc;

/// <summary>
/// PhysioNet/CinC 2021 samples (.mat v4 + .hea): all 50 load through <see cref="EcgReader"/> with checksums verified,
/// 12 leads in canonical order, and Age/Sex/Dx from the header comments.
/// </summary>
public sealed class CincLoadTests
{
    [Fact]
    public void Read_AllCinc2021Samples_ChecksumsVerifyAndLeadsCanonical()
    {
        var mats = Directory.GetFiles(TestPaths.Fixture("cinc2021_samples"), "*.mat");
        Assert.Equal(50, mats.Length);
        foreach (var mat in mats)
        {
            var r = EcgReader.Read(mat);
            Assert.Equal(500, r.SamplingRate);
            Assert.Equal(5000, r.SampleCount);
            Assert.True(EcgLeadLayout.IsCanonical12(r), mat);
            Assert.NotEmpty(r.Labels);
            Assert.All(r.Labels, l => Assert.True(long.TryParse(l, out _), $"{mat}: label '{l}' is not a SNOMED CT code"));
        }
    }

    [Fact]
    public void Read_HR06002_MetadataFromComments()
    {
        // HR06002.hea: "# Age: 29", "# Sex: Male", "# Dx: 426177001,426783006,713426002" (SOURCE.md: SB + IRBBB, plus SNR).
        var r = EcgReader.Read(TestPaths.Fixture("cinc2021_samples", "HR06002.hea"));
        Assert.Equal(29, r.Metadata.Age);
        Assert.Equal("M", r.Metadata.Sex);
        Assert.Equal(["426177001", "426783006", "713426002"], r.Labels);
    }

    [Fact]
    public void Read_E07500_MatPayloadIsInt16InterleavedByLead()
    {
        string mat = TestPaths.Fixture("cinc2021_samples", "E07500.mat");
        var bytes = File.ReadAllBytes(mat);
        var r = EcgReader.Read(mat);
        // Element (lead c, sample t) of the 12 x 5000 column-major int16 matrix after the 24-byte header.
        foreach (var (c, t) in new[] { (0, 0), (11, 0), (3, 1234), (7, 4999) })
        {
            short v = BitConverter.ToInt16(bytes, 24 + 2 * (t * 12 + c));
            Assert.Equal(v, r.Channels[c].Digital![t]);
            Assert.Equal(v / 1000.0, r.Channels[c].Physical[t]);
        }
    }

    [Fact]
    public void Read_MatWithoutHeader_ThrowsNamingReason()
    {
        string dir = Directory.CreateTempSubdirectory("ecgclip-cinc-").FullName;
        try
        {
            string mat = Path.Combine(dir, "X.mat");
            File.Copy(TestPaths.Fixture("cinc2021_samples", "E07500.mat"), mat);
            var ex = Assert.Throws<EcgFormatException>(() => EcgReader.Read(mat));
            Assert.Contains(".hea", ex.Reason);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Read_MatHeaderDisagreesWithHea_Throws()
    {
        string dir = Directory.CreateTempSubdirectory("ecgclip-cinc-").FullName;
        try
        {
            File.Copy(TestPaths.Fixture("cinc2021_samples", "E07500.mat"), Path.Combine(dir, "E07500.mat"));
            // Declare 6 leads: the file is long enough for 6 x 5000, but the MAT matrix has 12 rows.
            var hea = File.ReadAllLines(TestPaths.Fixture("cinc2021_samples", "E07500.hea")).ToList();
            hea[0] = "E07500 6 500 5000";
            hea.RemoveRange(7, 6);
            File.WriteAllLines(Path.Combine(dir, "E07500.hea"), hea);
            var ex = Assert.Throws<EcgFormatException>(() => EcgReader.Read(Path.Combine(dir, "E07500.mat")));
            Assert.Contains("MAT v4", ex.Reason);
        }
        finally { Directory.Delete(dir, true); }
    }
}
