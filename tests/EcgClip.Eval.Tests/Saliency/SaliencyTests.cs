using EcgClip.Core.Encoders;
using EcgClip.Eval.Saliency;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Eval.Tests.Saliency;

public sealed class SaliencyTests
{
    public SaliencyTests() => EcgClip.Core.Native.TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    private const int Fs = 100, Samples = 1000, V1 = 6;

    // A model that reads only lead V1 between 2 and 3 s: f(x) = Σ_{t ∈ [2 s, 3 s)} softplus(w_t · x[V1, t]).
    private static SaliencyModel PlantedV1Model(Tensor w) => new(x =>
        nn.functional.softplus(x[.., V1, (2 * Fs)..(3 * Fs)] * w).sum(-1));

    private static double MassInside(SaliencyMap map, int b, int lead, int from, int to)
    {
        var v = map.Of(b);
        double inside = 0, total = 0;
        for (int l = 0; l < map.Leads; l++)
            for (int t = 0; t < map.Samples; t++)
            {
                double a = Math.Abs(v[l * map.Samples + t]);
                total += a;
                if ((lead < 0 || l == lead) && t >= from && t < to) inside += a;
            }
        return inside / total;
    }

    [Fact]
    public void IntegratedGradients_PlantedV1Dependency_MassLandsInV1Between2And3Seconds()
    {
        torch.random.manual_seed(0);
        using var scope = NewDisposeScope();
        var w = randn(Fs);
        var x = randn(3, 12, Samples);
        var map = IntegratedGradients.Compute(PlantedV1Model(w), x, new IntegratedGradientsOptions { Steps = 64 });
        for (int b = 0; b < 3; b++)
        {
            double share = MassInside(map, b, V1, 2 * Fs, 3 * Fs);
            Assert.True(share > 0.8, $"ECG {b}: {share:P1} of the attribution mass in V1 2–3 s");
            Assert.Equal(V1, Array.IndexOf(map.AbsoluteMassPerLead(b), map.AbsoluteMassPerLead(b).Max()));
        }
    }

    [Fact]
    public void IntegratedGradients_ResNetEncoderWithHead_CompletenessWithinOnePercentAt64Steps()
    {
        torch.random.manual_seed(1);
        var config = new ModelCatalog().Get("resnet18") with { Widths = [16, 32, 64, 128], EmbeddingDim = 8 };
        using var encoder = new ResNetEcgEncoder(config);
        using var head = nn.Linear(8, 1);
        encoder.eval();
        using var scope = NewDisposeScope();
        var model = new SaliencyModel(x => head.forward(encoder.Encode(x)).squeeze(-1), encoder, head);
        var x = randn(2, 12, Samples);
        var map = IntegratedGradients.Compute(model, x, new IntegratedGradientsOptions { Steps = 64, PointsPerPass = 13 });
        for (int b = 0; b < 2; b++)
        {
            double diff = map.ScoreDifference[b], sum = map.Sum(b);
            Assert.True(Math.Abs(diff) > 1e-3, $"ECG {b}: f(x) − f(x′) = {diff} is too small for a meaningful check");
            Assert.True(Math.Abs(sum - diff) <= 0.01 * Math.Abs(diff), $"ECG {b}: Σ attributions {sum} vs f(x) − f(x′) {diff}");
        }
        Assert.All(encoder.parameters().Concat(head.parameters()), p => { Assert.True(p.requires_grad); Assert.Null(p.grad); });
    }

    [Fact]
    public void Gradient_PlantedV1Dependency_ZeroOutsideTheWindowAndExactInside()
    {
        torch.random.manual_seed(2);
        using var scope = NewDisposeScope();
        var w = randn(Fs);
        var x = randn(2, 12, Samples);
        var map = GradientSaliency.Gradient(PlantedV1Model(w), x);
        Assert.Equal(1.0, MassInside(map, 0, V1, 2 * Fs, 3 * Fs), 12);
        // d/dx softplus(w x) = w σ(w x)
        var expected = (w * torch.sigmoid(x[0, V1, (2 * Fs)..(3 * Fs)] * w)).data<float>().ToArray();
        var got = map.Of(0).Slice(V1 * Samples + 2 * Fs, Fs).ToArray();
        for (int i = 0; i < Fs; i++) Assert.Equal(expected[i], got[i], 1e-6 * (1 + Math.Abs(expected[i])));
        var gxi = GradientSaliency.GradientTimesInput(PlantedV1Model(w), x);
        var xs = x.data<float>().ToArray();
        for (int i = 0; i < gxi.Values.Length; i++) Assert.Equal(map.Values[i] * xs[i], gxi.Values[i], 1e-6 * (1 + Math.Abs(gxi.Values[i])));
    }

    [Fact]
    public void GradCam_ActivationOnlyBetween2And3Seconds_MapPeaksThere()
    {
        torch.random.manual_seed(3);
        using var scope = NewDisposeScope();
        // Grad-CAM weights whole channels, so it localises where a positively weighted channel is active. Plant one: V1
        // carries a burst at 2–3 s over faint noise; the feature map is |V1| and |V2| pooled 4× (250 steps), and the
        // score reads the V1 channel only.
        var model = new SaliencyModel(x =>
        {
            var map = nn.functional.avg_pool1d(x[.., V1..(V1 + 2), ..].abs(), 4);
            return (map[.., 0, ..].sum(-1), map);
        });
        var x = 0.01 * randn(2, 12, Samples);
        x[.., V1, (2 * Fs)..(3 * Fs)] += randn(2, Fs);
        var cam = GradCam1d.Compute(model, x);
        Assert.Equal(1, cam.Leads);
        Assert.Equal(Samples, cam.Samples);
        for (int b = 0; b < 2; b++)
        {
            double share = MassInside(cam, b, -1, 2 * Fs - 4, 3 * Fs + 4); // interpolation spreads one feature step (4 samples)
            Assert.True(share > 0.8, $"ECG {b}: {share:P1} of the Grad-CAM mass in 2–3 s");
            Assert.Equal(1f, cam.Of(b).ToArray().Max(), 5);
        }
    }

    [Fact]
    public void GradCam_ResNetEncoder_OneMapPerEcgInZeroToOne()
    {
        torch.random.manual_seed(4);
        var config = new ModelCatalog().Get("resnet18") with { Widths = [16, 32, 64, 128], EmbeddingDim = 8 };
        using var encoder = new ResNetEcgEncoder(config);
        using var head = nn.Linear(8, 1);
        encoder.eval();
        using var scope = NewDisposeScope();
        var model = new SaliencyModel(x =>
        {
            var (embedding, map) = encoder.EncodeWithFeatureMap(x);
            return (head.forward(embedding).squeeze(-1), map);
        }, encoder, head);
        var cam = GradCam1d.Compute(model, randn(3, 12, Samples));
        Assert.Equal((3, 1, Samples), (cam.Batch, cam.Leads, cam.Samples));
        Assert.All(cam.Values, v => Assert.InRange(v, 0f, 1f));
        Assert.All(encoder.parameters(), p => Assert.Null(p.grad));
    }

    [Fact]
    public void GradCam_ModelWithoutFeatureMap_ThrowsSayingWhatIsNeeded()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<InvalidOperationException>(() => GradCam1d.Compute(new SaliencyModel(x => x.sum([1, 2])), randn(1, 12, 100)));
        Assert.Contains("feature map", ex.Message);
    }

    [Fact]
    public void Saliency_WrongScoreShape_ThrowsNamingExpectedShape()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<InvalidOperationException>(() => GradientSaliency.Gradient(new SaliencyModel(x => x.sum()), randn(2, 12, 100)));
        Assert.Contains("one score per ECG", ex.Message);
    }
}
