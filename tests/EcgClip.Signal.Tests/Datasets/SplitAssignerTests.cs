using EcgClip.Signal.Datasets;
using FsCheck.Xunit;

namespace EcgClip.Signal.Tests.Datasets;

public class SplitAssignerTests
{
    [Property(MaxTest = 100)]
    public bool Assign_SamePatientAndSeed_IsDeterministic(string patient, int seed)
    {
        patient ??= "";
        return new SplitAssigner(seed).Assign(patient) == new SplitAssigner(seed).Assign(patient);
    }

    [Fact]
    public void Assign_TenThousandPatients_FractionsWithinTwoPercent()
    {
        var a = new SplitAssigner(seed: 7, 0.7, 0.2, 0.1);
        var counts = new int[3];
        for (int i = 0; i < 10000; i++) counts[(int)a.Assign("p" + i)]++;
        Assert.InRange(counts[0] / 10000.0, 0.68, 0.72);
        Assert.InRange(counts[1] / 10000.0, 0.18, 0.22);
        Assert.InRange(counts[2] / 10000.0, 0.08, 0.12);
    }

    [Fact]
    public void Assign_DifferentSeeds_GiveDifferentPartitions()
    {
        var a = new SplitAssigner(1); var b = new SplitAssigner(2);
        int differ = Enumerable.Range(0, 1000).Count(i => a.Assign("p" + i) != b.Assign("p" + i));
        Assert.True(differ > 100, $"only {differ} of 1000 patients moved");
    }

    [Fact]
    public void Constructor_FractionsNotSummingToOne_Throws() =>
        Assert.Throws<ArgumentException>(() => new SplitAssigner(0, 0.5, 0.2, 0.2));
}
