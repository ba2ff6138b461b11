using EcgClip.Eval.Plots;
using EcgClip.Eval.Projection;

namespace EcgClip.Eval.Tests.Projection;

public sealed class ProjectionTests
{
    // n points along known orthogonal directions with standard deviations 5, 2, 0.5 in 6 dimensions.
    private static (float[] Data, double[][] Directions) Anisotropic(int n, int seed)
    {
        var rng = new Random(seed);
        double r = Math.Sqrt(0.5);
        double[][] dirs = [[r, r, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0], [r, -r, 0, 0, 0, 0]];
        double[] sd = [5, 2, 0.5];
        var data = new float[n * 6];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < 3; c++)
            {
                double z = sd[c] * Normal(rng);
                for (int j = 0; j < 6; j++) data[i * 6 + j] += (float)(z * dirs[c][j] + (c == 0 ? 0.01 * Normal(rng) : 0));
            }
        return (data, dirs);
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    [Fact]
    public void Pca_KnownDirections_RecoveredWithVarianceRatios()
    {
        var (data, dirs) = Anisotropic(4000, 1);
        var y = Pca.Project(data, 4000, 6, 2, out var ratio);
        double total = 25 + 4 + 0.25;
        Assert.Equal(25 / total, ratio[0], 0.01);
        Assert.Equal(4 / total, ratio[1], 0.01);
        // Coordinates equal the projections on the true directions (up to sign) after centring.
        for (int c = 0; c < 2; c++)
        {
            double num = 0, a = 0, b = 0;
            for (int i = 0; i < 4000; i++)
            {
                double truth = 0;
                for (int j = 0; j < 6; j++) truth += data[i * 6 + j] * dirs[c][j];
                num += truth * y[i * 2 + c]; a += truth * truth; b += y[i * 2 + c] * y[i * 2 + c];
            }
            Assert.True(Math.Abs(num / Math.Sqrt(a * b)) > 0.999, $"component {c} correlation {num / Math.Sqrt(a * b)}");
        }
    }

    [Fact]
    public void Pca_SignConvention_IsDeterministicUnderRowOrder()
    {
        var (data, _) = Anisotropic(500, 2);
        var y1 = Pca.Project(data, 500, 6, 2, out _);
        var reversed = new float[data.Length];
        for (int i = 0; i < 500; i++) Array.Copy(data, i * 6, reversed, (499 - i) * 6, 6);
        var y2 = Pca.Project(reversed, 500, 6, 2, out _);
        for (int i = 0; i < 500; i++) Assert.Equal(y1[i * 2], y2[(499 - i) * 2], 6);
    }

    [Fact]
    public void Tsne_ThreeSeparatedClusters_NeighboursShareTheirClusterAndKlFalls()
    {
        const int n = 90, d = 10;
        var rng = new Random(3);
        var data = new float[n * d];
        var label = new int[n];
        for (int i = 0; i < n; i++)
        {
            label[i] = i % 3;
            for (int j = 0; j < d; j++) data[i * d + j] = (float)((j == label[i] ? 8 : 0) + Normal(rng));
        }
        var y = Tsne.Embed(data, n, d, new TsneOptions { Perplexity = 15, Iterations = 500, Seed = 1 }, out double kl);
        int agree = 0;
        for (int i = 0; i < n; i++)
        {
            var nearest = Enumerable.Range(0, n).Where(j => j != i)
                .OrderBy(j => Math.Pow(y[2 * i] - y[2 * j], 2) + Math.Pow(y[2 * i + 1] - y[2 * j + 1], 2)).Take(5);
            agree += nearest.Count(j => label[j] == label[i]);
        }
        Assert.True(agree >= 0.95 * 5 * n, $"{agree} of {5 * n} nearest neighbours share the cluster");
        var random = new double[n * 2];
        for (int i = 0; i < random.Length; i++) random[i] = Normal(rng);
        Assert.True(kl < Tsne.KlOf(data, n, d, 15, random) / 2, $"KL {kl} vs random layout {Tsne.KlOf(data, n, d, 15, random)}");
    }

    [Fact]
    public void EmbeddingMap_PcaAndTsne_WritePngs()
    {
        string dir = Directory.CreateTempSubdirectory("ecgclip-map").FullName;
        try
        {
            var (data, _) = Anisotropic(120, 4);
            var labels = Enumerable.Range(0, 120).Select(i => i % 2 == 0 ? "NORM" : "MI").ToList();
            foreach (var p in new[] { EmbeddingProjection.Pca, EmbeddingProjection.Tsne })
            {
                string png = Path.Combine(dir, p + ".png");
                var xy = EmbeddingMapPlot.Save(png, data, 120, 6, labels, p);
                Assert.Equal(240, xy.Length);
                Assert.True(new FileInfo(png).Length > 10_000);
            }
            Assert.Throws<ArgumentException>(() => EmbeddingMapPlot.Save(Path.Combine(dir, "x.png"), data, 120, 6, labels.Take(3).ToList()));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void TrainingCurves_StepAndValidationRows_Drawn_BadLineNamesFileAndLine()
    {
        string dir = Directory.CreateTempSubdirectory("ecgclip-curves").FullName;
        try
        {
            string jsonl = Path.Combine(dir, "metrics.jsonl");
            var lines = Enumerable.Range(1, 50).Select(s => $"{{\"kind\":\"step\",\"step\":{s},\"loss\":{3.5 - s * 0.03}}}").ToList();
            lines.Add("{\"kind\":\"validation\",\"step\":25,\"ecg_to_text_r10\":0.2,\"chance_r10\":0.06,\"zero_shot_macro_auroc\":0.7}");
            lines.Add("{\"kind\":\"validation\",\"step\":50,\"ecg_to_text_r10\":0.3,\"chance_r10\":0.06,\"zero_shot_macro_auroc\":0.8}");
            File.WriteAllLines(jsonl, lines);
            var (steps, validations) = TrainingCurvesPlot.Save(Path.Combine(dir, "curves.png"), jsonl);
            Assert.Equal((50, 2), (steps, validations));
            Assert.True(new FileInfo(Path.Combine(dir, "curves.png")).Length > 10_000);
            File.AppendAllText(jsonl, "not json\n");
            var ex = Assert.Throws<InvalidDataException>(() => TrainingCurvesPlot.Save(Path.Combine(dir, "c2.png"), jsonl));
            Assert.Contains("metrics.jsonl:53", ex.Message);
        }
        finally { Directory.Delete(dir, true); }
    }
}
