namespace EcgClip.Eval.Protocols;

/// <summary>
/// R@K, median and mean rank in both directions from a similarity matrix between ECGs and unique texts
/// (see <see cref="UniqueTexts"/>). Ties are counted against the query: the rank of the own item is 1 + the number
/// of other candidates scoring at least as high, so a constant similarity earns no hits.
/// </summary>
public static class RetrievalMetrics
{
    /// <summary>The default cut-offs, 1, 5 and 10.</summary>
    public static IReadOnlyList<int> DefaultKs { get; } = [1, 5, 10];

    /// <summary>Scores retrieval from cosine similarities of <paramref name="ecgEmbeddings"/> <c>[n, d]</c> and
    /// <paramref name="textEmbeddings"/> <c>[#unique, d]</c> (one row per unique text).</summary>
    public static RetrievalReport FromEmbeddings(FeatureMatrix ecgEmbeddings, FeatureMatrix textEmbeddings, IReadOnlyList<int> textOfEcg, IReadOnlyList<int>? ks = null)
    {
        ArgumentNullException.ThrowIfNull(ecgEmbeddings);
        ArgumentNullException.ThrowIfNull(textEmbeddings);
        return Compute(EmbeddingMath.Cosine(ecgEmbeddings, textEmbeddings), ecgEmbeddings.Rows, textEmbeddings.Rows, textOfEcg, ks);
    }

    /// <summary>Scores retrieval from a row-major similarity matrix <c>[ecgs, texts]</c> (higher = more similar).</summary>
    /// <param name="similarity">Similarities, length ecgs × texts, all finite.</param>
    /// <param name="ecgs">Number of ECGs n.</param>
    /// <param name="texts">Number of unique texts.</param>
    /// <param name="textOfEcg">Each ECG's own text index; every text must be some ECG's own.</param>
    /// <param name="ks">Cut-offs (default 1, 5, 10), each ≥ 1.</param>
    /// <exception cref="ArgumentException">Shapes that do not match, a non-finite similarity, a text index out of range,
    /// a text no ECG carries, or a cut-off below 1.</exception>
    public static RetrievalReport Compute(ReadOnlySpan<float> similarity, int ecgs, int texts, IReadOnlyList<int> textOfEcg, IReadOnlyList<int>? ks = null)
    {
        ArgumentNullException.ThrowIfNull(textOfEcg);
        ks ??= DefaultKs;
        if (ecgs < 1 || texts < 1 || similarity.Length != (long)ecgs * texts)
            throw new ArgumentException($"similarity holds {similarity.Length} values, expected {ecgs} × {texts}");
        if (textOfEcg.Count != ecgs) throw new ArgumentException($"{textOfEcg.Count} text indices for {ecgs} ECGs");
        if (ks.Any(k => k < 1)) throw new ArgumentException("cut-offs must be ≥ 1");
        for (int i = 0; i < similarity.Length; i++)
            if (!float.IsFinite(similarity[i])) throw new ArgumentException($"similarities must be finite; found {similarity[i]} at row {i / texts}, column {i % texts}");
        var carriers = new int[texts];
        foreach (int j in textOfEcg)
        {
            if ((uint)j >= (uint)texts) throw new ArgumentException($"text index {j} outside [0, {texts})");
            carriers[j]++;
        }
        for (int j = 0; j < texts; j++)
            if (carriers[j] == 0) throw new ArgumentException($"text {j} is no ECG's own text; pass only the unique texts of the ECGs");

        var e2t = new int[ecgs];
        for (int i = 0; i < ecgs; i++)
        {
            var row = similarity.Slice(i * texts, texts);
            float own = row[textOfEcg[i]];
            int above = 0;
            for (int k = 0; k < texts; k++) if (k != textOfEcg[i] && row[k] >= own) above++;
            e2t[i] = 1 + above;
        }
        var best = new float[texts];
        Array.Fill(best, float.NegativeInfinity);
        for (int i = 0; i < ecgs; i++) best[textOfEcg[i]] = Math.Max(best[textOfEcg[i]], similarity[i * texts + textOfEcg[i]]);
        var t2e = new int[texts];
        for (int j = 0; j < texts; j++)
        {
            int above = 0;
            for (int i = 0; i < ecgs; i++) if (textOfEcg[i] != j && similarity[i * texts + j] >= best[j]) above++;
            t2e[j] = 1 + above;
        }
        var e2tChance = ks.Select(k => Math.Min(1.0, k / (double)texts)).ToArray();
        var t2eChance = ks.Select(k => Enumerable.Range(0, texts).Average(j => ChanceAnyInTopK(ecgs, carriers[j], k))).ToArray();
        return new RetrievalReport(Scores(e2t, texts, ks, e2tChance), Scores(t2e, ecgs, ks, t2eChance));
    }

    /// <summary>P(at least one of m relevant among the top K of n randomly ordered candidates) = 1 − C(n−m, K)/C(n, K).</summary>
    internal static double ChanceAnyInTopK(int n, int m, int k)
    {
        if (k >= n) return 1;
        double miss = 1;
        for (int r = 0; r < k; r++) miss *= (n - m - r) / (double)(n - r);
        return 1 - Math.Max(0, miss);
    }

    private static RetrievalScores Scores(int[] ranks, int candidates, IReadOnlyList<int> ks, double[] chance)
    {
        var recall = ks.Select((k, idx) => new RecallAtK(k, ranks.Count(r => r <= k) / (double)ranks.Length, chance[idx])).ToArray();
        var sorted = ranks.Order().ToArray();
        int mid = sorted.Length / 2;
        double median = sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
        return new RetrievalScores(ranks.Length, candidates, recall, median, ranks.Average());
    }
}
