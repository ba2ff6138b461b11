using EcgClip.Eval.Protocols;

namespace EcgClip.Eval.Tests.Protocols;

public sealed class ZeroShotClassifierTests
{
    [Fact]
    public void ClassEmbeddings_TemplatesOfDifferentNorms_AverageOfUnitVectorsRenormalised()
    {
        // class 0: (3, 0) and (0, 0.5) → unit (1,0), (0,1) → mean (.5,.5) → (1/√2, 1/√2): norms do not weight templates
        var c0 = new FeatureMatrix([3f, 0f, 0f, 0.5f], 2, 2);
        var c1 = new FeatureMatrix([-2f, 0f], 1, 2);
        var classes = ZeroShotClassifier.ClassEmbeddings([c0, c1]);
        float h = 1 / MathF.Sqrt(2);
        Assert.Equal(h, classes.Row(0)[0], 6);
        Assert.Equal(h, classes.Row(0)[1], 6);
        Assert.Equal([-1f, 0f], classes.Row(1).ToArray());
    }

    [Fact]
    public void Score_CosineOfEcgWithClasses_ScaleInvariant()
    {
        var classes = ZeroShotClassifier.ClassEmbeddings([new FeatureMatrix([1f, 0f], 1, 2), new FeatureMatrix([0f, 1f], 1, 2)]);
        var ecg = new FeatureMatrix([10f, 10f, 0f, -4f], 2, 2);
        var s = ZeroShotClassifier.Score(ecg, classes);
        Assert.Equal(4, s.Length);
        Assert.Equal(1 / Math.Sqrt(2), s[0], 6);
        Assert.Equal(1 / Math.Sqrt(2), s[1], 6);
        Assert.Equal(0, s[2], 6);
        Assert.Equal(-1, s[3], 6);
    }

    [Fact]
    public void Score_WidthMismatch_Throws()
    {
        var classes = new FeatureMatrix([1f, 0f], 1, 2);
        Assert.Throws<ArgumentException>(() => ZeroShotClassifier.Score(new FeatureMatrix([1f, 2f, 3f], 1, 3), classes));
    }
}
