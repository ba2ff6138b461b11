using System.Numerics.Tensors;

namespace EcgClip.Eval.Protocols;

/// <summary>Row-wise L2 normalisation and cosine similarity matrices of float32 embeddings (TensorPrimitives).</summary>
internal static class EmbeddingMath
{
    /// <summary>A copy of <paramref name="x"/> with every row scaled to unit L2 norm (zero rows stay zero).</summary>
    public static float[] NormalizedRows(FeatureMatrix x)
    {
        var result = x.Values.ToArray();
        for (int i = 0; i < x.Rows; i++) NormalizeInPlace(result.AsSpan(i * x.Columns, x.Columns));
        return result;
    }

    /// <summary>Scales <paramref name="row"/> to unit L2 norm; leaves a zero row unchanged.</summary>
    public static void NormalizeInPlace(Span<float> row)
    {
        float norm = TensorPrimitives.Norm(row);
        if (norm > 0) TensorPrimitives.Divide(row, norm, row);
    }

    /// <summary>Cosine similarities, row-major <c>[a.Rows, b.Rows]</c>, of the rows of <paramref name="a"/> and <paramref name="b"/>.</summary>
    /// <exception cref="ArgumentException">Different widths.</exception>
    public static float[] Cosine(FeatureMatrix a, FeatureMatrix b)
    {
        if (a.Columns != b.Columns) throw new ArgumentException($"embedding widths differ: {a.Columns} vs {b.Columns}");
        var na = NormalizedRows(a);
        var nb = NormalizedRows(b);
        int d = a.Columns;
        var s = new float[a.Rows * b.Rows];
        Parallel.For(0, a.Rows, i =>
        {
            var ai = na.AsSpan(i * d, d);
            for (int j = 0; j < b.Rows; j++) s[i * b.Rows + j] = TensorPrimitives.Dot(ai, nb.AsSpan(j * d, d));
        });
        return s;
    }
}
