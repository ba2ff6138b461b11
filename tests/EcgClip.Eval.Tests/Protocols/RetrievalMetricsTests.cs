using EcgClip.Eval.Protocols;
using EcgClip.Eval.Tests.Fixtures;

namespace EcgClip.Eval.Tests.Protocols;

public sealed class RetrievalMetricsTests
{
    [Fact]
    public void Compute_NumpyOracle_BothDirectionsMatch()
    {
        var c = ProbeOracle.Root.GetProperty("retrieval");
        var report = RetrievalMetrics.Compute(c.Floats("similarity"), c.Int("n"), c.Int("u"), c.Ints("text_of_ecg"));
        Check(c.GetProperty("ecg_to_text"), report.EcgToText);
        Check(c.GetProperty("text_to_ecg"), report.TextToEcg);
        Assert.Equal(c.Int("u"), report.EcgToText.Candidates);
        Assert.Equal(c.Int("n"), report.TextToEcg.Candidates);
    }

    private static void Check(System.Text.Json.JsonElement expected, RetrievalScores actual)
    {
        Assert.Equal(expected.Doubles("recall"), actual.Recall.Select(r => r.Recall));
        Assert.Equal(expected.Doubles("chance"), actual.Recall.Select(r => r.Chance), new Tol(1e-12));
        Assert.Equal(expected.GetProperty("median_rank").GetDouble(), actual.MedianRank);
        Assert.Equal(expected.GetProperty("mean_rank").GetDouble(), actual.MeanRank, 12);
    }

    [Fact]
    public void Compute_RepeatedReports_ShareOneCandidateAndAreNoFalseNegatives()
    {
        // 4 ECGs, reports "a", "a ", "B", "b": two unique texts after normalisation
        var unique = UniqueTexts.Group(["a", "a ", "B", "b"]);
        Assert.Equal(["a", "b"], unique.Texts);
        Assert.Equal([0, 0, 1, 1], unique.TextOfEcg);
        float[] sim = [0.9f, 0.1f, 0.8f, 0.2f, 0.3f, 0.7f, 0.2f, 0.6f];
        var r = RetrievalMetrics.Compute(sim, 4, 2, unique.TextOfEcg, [1]);
        Assert.Equal(1.0, r.EcgToText.Recall[0].Recall);
        Assert.Equal(0.5, r.EcgToText.Recall[0].Chance);
        Assert.Equal(1.0, r.TextToEcg.Recall[0].Recall);
    }

    [Fact]
    public void Compute_ConstantSimilarity_TiesCountAgainstTheQuery()
    {
        var r = RetrievalMetrics.Compute(new float[5 * 5], 5, 5, [0, 1, 2, 3, 4], [1, 5]);
        Assert.Equal(0, r.EcgToText.Recall[0].Recall);
        Assert.Equal(1, r.EcgToText.Recall[1].Recall);
        Assert.Equal(5, r.EcgToText.MedianRank);
    }

    [Fact]
    public void Compute_RandomEmbeddings_RecallNearChance()
    {
        var rng = new Random(17);
        int n = 600, d = 16;
        var ecg = new float[n * d];
        var text = new float[n * d];
        for (int i = 0; i < ecg.Length; i++) { ecg[i] = (float)ProbeTestData.Normal(rng); text[i] = (float)ProbeTestData.Normal(rng); }
        var r = RetrievalMetrics.FromEmbeddings(new FeatureMatrix(ecg, n, d), new FeatureMatrix(text, n, d), Enumerable.Range(0, n).ToArray());
        var at10 = r.EcgToText.Recall.Single(x => x.K == 10);
        double sd = Math.Sqrt(at10.Chance * (1 - at10.Chance) / n);
        Assert.InRange(at10.Recall, at10.Chance - 4 * sd, at10.Chance + 4 * sd);
        Assert.InRange(r.EcgToText.MedianRank, n * 0.35, n * 0.65);
    }

    [Fact]
    public void Compute_TextNoEcgCarries_Throws()
    {
        Assert.Throws<ArgumentException>(() => RetrievalMetrics.Compute(new float[4], 2, 2, [0, 0]));
    }

    private sealed class Tol(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
