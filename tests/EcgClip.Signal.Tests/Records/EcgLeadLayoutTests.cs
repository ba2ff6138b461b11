using EcgClip.Signal.Formats.Wfdb;
using EcgClip.Signal.Records;
using EcgClip.Testing;

namespace EcgClip.Signal.Tests.Records;

/// <summary>
/// Canonical 12-lead ordering and limb-lead derivation. Oracle: recordings whose device stored all 12 leads
/// (PTB-XL, PTB s0010_re): the stored III/aVR/aVL/aVF agree with the Einthoven/Goldberger formulas applied to the
/// stored I and II within the acquisition's rounding (2 ADC units).
/// </summary>
public sealed class EcgLeadLayoutTests
{
    private static EcgRecord Without(EcgRecord r, params Lead[] drop) =>
        new(r.Name, r.SamplingRate, r.Channels.Where(c => c.Lead is not Lead l || !drop.Contains(l)).ToArray(), r.Metadata, r.Statements, r.Labels, r.SourcePath);

    [Theory]
    [InlineData("ptbxl", "records100/00000/00001_lr.hea")]
    [InlineData("ptbxl", "records100/00000/00042_lr.hea")]
    [InlineData("wfdb_python_samples", "sample-data/s0010_re.hea")]
    public void ToCanonical12_EightLeadRecord_DerivedLimbLeadsMatchStoredWithinTwoAdcUnits(string set, string rel)
        => DerivedLimbLeadsMatchStored(set == "ptbxl" ? TestPaths.PtbXl(rel.Split('/')) : TestPaths.Fixture([set, .. rel.Split('/')]), rel);

    [SharedDataFact("ptbxl/records500/00000/00007_hr.hea")]
    public void ToCanonical12_EightLeadRecord500Hz_DerivedLimbLeadsMatchStoredWithinTwoAdcUnits()
        => DerivedLimbLeadsMatchStored(TestPaths.Shared("ptbxl", "records500", "00000", "00007_hr.hea"), "records500/00000/00007_hr.hea");

    private static void DerivedLimbLeadsMatchStored(string path, string rel)
    {
        var full = WfdbReader.Read(path);
        var eight = Without(full, Lead.III, Lead.AVR, Lead.AVL, Lead.AVF);
        Assert.True(eight.Channels.Count(c => c.Lead is not null) == 8);
        var derived = EcgLeadLayout.ToCanonical12(eight);
        Assert.True(EcgLeadLayout.IsCanonical12(derived));
        var stored = EcgLeadLayout.ToCanonical12(full);
        double tol = 2.0 / full.Channels[0].Gain + 1e-12;
        foreach (var lead in new[] { Lead.III, Lead.AVR, Lead.AVL, Lead.AVF })
        {
            var d = derived.Channels[(int)lead].Physical;
            var s = stored.Channels[(int)lead].Physical;
            double worst = 0;
            for (int t = 0; t < d.Length; t++) worst = Math.Max(worst, Math.Abs(d[t] - s[t]));
            Assert.True(worst <= tol, $"{rel} {lead}: max |derived - stored| = {worst} mV > {tol}");
        }
        // III = II - I is exact in ADC units when I and II share gain and baseline.
        var iii = derived.Channels[(int)Lead.III];
        Assert.NotNull(iii.Digital);
        Assert.Equal(eight.Channels[1].Digital![10] - eight.Channels[0].Digital![10], iii.Digital![10]);
        Assert.Null(derived.Channels[(int)Lead.AVR].Digital);
    }

    [SharedDataFact("ge_muse_xml_egm/muse-sinus.hea")]
    public void ToCanonical12_VendorOrderAndSpelling_ReorderedByName()
    {
        // muse-sinus.hea stores I, II, III, AVF, AVL, AVR, V1-V6 (upper-case vendor spelling).
        var r = WfdbReader.Read(TestPaths.Shared("ge_muse_xml_egm", "muse-sinus.hea"));
        Assert.False(EcgLeadLayout.IsCanonical12(r));
        var c = EcgLeadLayout.ToCanonical12(r);
        Assert.True(EcgLeadLayout.IsCanonical12(c));
        Assert.Equal(LeadNames.Canonical12, c.Channels.Select(x => x.Name).ToArray());
        foreach (var ch in r.Channels)
            Assert.Same(ch.Physical, c.Channels[(int)ch.Lead!.Value].Physical);
    }

    [Fact]
    public void ToCanonical12_MissingPrecordial_ThrowsNamingLead()
    {
        var r = WfdbReader.Read(TestPaths.PtbXl("records100", "00000", "00001_lr.hea"));
        var ex = Assert.Throws<EcgFormatException>(() => EcgLeadLayout.ToCanonical12(Without(r, Lead.V4)));
        Assert.Contains("V4", ex.Reason);
        Assert.Throws<EcgFormatException>(() => EcgLeadLayout.ToCanonical12(Without(r, Lead.III), deriveLimbLeads: false));
    }

    [Fact]
    public void ToCanonical12_DuplicateLead_Throws()
    {
        var r = WfdbReader.Read(TestPaths.PtbXl("records100", "00000", "00001_lr.hea"));
        var dup = new EcgRecord(r.Name, r.SamplingRate, [.. r.Channels, new EcgChannel("avl", r.Channels[4].Physical)]);
        var ex = Assert.Throws<EcgFormatException>(() => EcgLeadLayout.ToCanonical12(dup));
        Assert.Contains("twice", ex.Reason);
    }

    [Fact]
    public void ToCanonical12_FrankLeads_Dropped()
    {
        var r = WfdbReader.Read(TestPaths.Fixture("wfdb_python_samples", "sample-data", "s0010_re.hea"));
        Assert.Equal(15, r.Channels.Count);
        Assert.Equal(12, EcgLeadLayout.ToCanonical12(r).Channels.Count);
    }

    [Fact]
    public void Slice_RangeAndChannels_CopiesExactly()
    {
        var r = WfdbReader.Read(TestPaths.PtbXl("records100", "00000", "00001_lr.hea"));
        var s = EcgRecordSlicing.Slice(r, 10, 20, [11, 0]);
        Assert.Equal(10, s.SampleCount);
        Assert.Equal(["V6", "I"], s.Channels.Select(c => c.Name).ToArray());
        Assert.Equal(r.Channels[11].Digital!.AsSpan(10, 10).ToArray(), s.Channels[0].Digital!);
        Assert.Throws<ArgumentOutOfRangeException>(() => EcgRecordSlicing.Slice(r, 0, 1001));
        Assert.Throws<ArgumentOutOfRangeException>(() => EcgRecordSlicing.Slice(r, 5, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => EcgRecordSlicing.Slice(r, 0, 10, [12]));
    }
}
