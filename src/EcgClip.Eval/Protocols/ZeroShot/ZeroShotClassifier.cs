namespace EcgClip.Eval.Protocols;

/// <summary>
/// Zero-shot classification from text prompts, on arrays: each class embedding is the mean of its prompt-template
/// embeddings, each L2-normalised first, re-normalised to unit length; an ECG's score for a class is the cosine
/// similarity of its embedding with the class embedding (in [−1, 1], higher = more likely).
/// </summary>
public static class ZeroShotClassifier
{
    /// <summary>Class embeddings <c>[classes, d]</c>, unit rows, from the template embeddings of each class.</summary>
    /// <param name="templatesPerClass">Per class, the text embeddings <c>[templates, d]</c> of its prompts
    /// (e.g. "ECG showing atrial fibrillation", "atrial fibrillation", …).</param>
    /// <exception cref="ArgumentException">No class, or classes with different widths.</exception>
    public static FeatureMatrix ClassEmbeddings(IReadOnlyList<FeatureMatrix> templatesPerClass)
    {
        ArgumentNullException.ThrowIfNull(templatesPerClass);
        if (templatesPerClass.Count == 0) throw new ArgumentException("need at least one class");
        int d = templatesPerClass[0].Columns;
        var result = new float[templatesPerClass.Count * d];
        for (int c = 0; c < templatesPerClass.Count; c++)
        {
            var t = templatesPerClass[c];
            if (t.Columns != d) throw new ArgumentException($"class {c} has width {t.Columns}, class 0 has {d}");
            var normalized = EmbeddingMath.NormalizedRows(t);
            var dest = result.AsSpan(c * d, d);
            for (int r = 0; r < t.Rows; r++)
                System.Numerics.Tensors.TensorPrimitives.Add(dest, normalized.AsSpan(r * d, d), dest);
            EmbeddingMath.NormalizeInPlace(dest);
        }
        return new FeatureMatrix(result, templatesPerClass.Count, d);
    }

    /// <summary>Cosine scores <c>[n, classes]</c>, row-major, of <paramref name="ecgEmbeddings"/> against <paramref name="classEmbeddings"/>.</summary>
    /// <exception cref="ArgumentException">Different widths.</exception>
    public static double[] Score(FeatureMatrix ecgEmbeddings, FeatureMatrix classEmbeddings)
    {
        ArgumentNullException.ThrowIfNull(ecgEmbeddings);
        ArgumentNullException.ThrowIfNull(classEmbeddings);
        var s = EmbeddingMath.Cosine(ecgEmbeddings, classEmbeddings);
        var d = new double[s.Length];
        for (int i = 0; i < s.Length; i++) d[i] = s[i];
        return d;
    }
}
