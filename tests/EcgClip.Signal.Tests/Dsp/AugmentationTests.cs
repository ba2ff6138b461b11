using EcgClip.Signal.Dsp.Augmentation;

namespace EcgClip.Signal.Tests.Dsp;

public class AugmentationTests
{
    private static float[] Batch(int records, int leads, int samples)
    {
        var x = new float[records * leads * samples];
        for (int i = 0; i < x.Length; i++) x[i] = (float)Math.Sin(i * 0.013) + i % 7 * 0.01f;
        return x;
    }

    private static readonly AugmentationConfig All = new()
    {
        CropLength = 400, ScaleMin = 0.8, ScaleMax = 1.2, BaselineWanderAmplitude = 0.2, PowerlineAmplitude = 0.05,
        NoiseStd = 0.01, TimeMaskProbability = 0.5, LeadDropoutProbability = 0.2,
    };

    [Fact]
    public void Apply_SameSeed_SameOutputRegardlessOfThreads()
    {
        var x = Batch(6, 12, 500);
        var aug = new EcgAugmenter(All);
        var a = new float[6 * 12 * 400];
        var b = new float[a.Length];
        aug.Apply(x, a, 6, 12, 500, seed: 42, threads: 1);
        aug.Apply(x, b, 6, 12, 500, seed: 42, threads: 3);
        Assert.Equal(a, b);
        aug.Apply(x, b, 6, 12, 500, seed: 43);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Apply_DefaultConfig_IsIdentity()
    {
        var x = Batch(2, 3, 100);
        var y = new float[x.Length];
        new EcgAugmenter(new AugmentationConfig()).Apply(x, y, 2, 3, 100, seed: 1);
        Assert.Equal(x, y);
    }

    [Fact]
    public void Apply_CropOnly_ReturnsSameWindowForAllLeads()
    {
        var x = Batch(1, 3, 100);
        var y = new float[3 * 40];
        new EcgAugmenter(new AugmentationConfig { CropLength = 40 }).Apply(x, y, 1, 3, 100, seed: 5);
        int start = Array.IndexOf(x, y[0]);
        Assert.InRange(start, 0, 60);
        for (int l = 0; l < 3; l++)
            Assert.Equal(x.AsSpan(l * 100 + start, 40).ToArray(), y.AsSpan(l * 40, 40).ToArray());
    }

    [Fact]
    public void Apply_LeadDropoutCertain_KeepsExactlyOneLead()
    {
        var x = Batch(4, 12, 50);
        var y = new float[x.Length];
        new EcgAugmenter(new AugmentationConfig { LeadDropoutProbability = 1 }).Apply(x, y, 4, 12, 50, seed: 9);
        for (int r = 0; r < 4; r++)
        {
            int alive = Enumerable.Range(0, 12).Count(l => y.AsSpan((r * 12 + l) * 50, 50).ContainsAnyExcept(0f));
            Assert.Equal(1, alive);
        }
    }

    [Fact]
    public void Apply_GaussianNoise_HasRequestedStd()
    {
        var x = new float[1 * 1 * 20000];
        var y = new float[x.Length];
        new EcgAugmenter(new AugmentationConfig { NoiseStd = 0.5 }).Apply(x, y, 1, 1, 20000, seed: 3);
        double std = Math.Sqrt(y.Select(v => (double)v * v).Average());
        Assert.InRange(std, 0.48, 0.52);
    }

    [Fact]
    public void Constructor_ProbabilityAboveOne_Throws() =>
        Assert.Throws<ArgumentException>(() => new EcgAugmenter(new AugmentationConfig { LeadDropoutProbability = 1.5 }));
}
