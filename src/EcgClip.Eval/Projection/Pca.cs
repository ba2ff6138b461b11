namespace EcgClip.Eval.Projection;

/// <summary>
/// Principal component analysis of row vectors: centres the columns, then the top-k eigenvectors of the covariance
/// (symmetric eigen-decomposition of XᵀX/(n−1), MathNet) give the projection. Each component's sign is fixed so that its
/// largest-magnitude loading is positive (as scikit-learn's <c>svd_flip</c> does), so results are deterministic.
/// </summary>
public static class Pca
{
    /// <summary>The first <paramref name="components"/> principal coordinates of <paramref name="data"/> <c>[n, d]</c> (row-major), <c>[n, components]</c>.</summary>
    /// <param name="data">Row-major samples.</param>
    /// <param name="rows">n.</param>
    /// <param name="columns">d.</param>
    /// <param name="components">k ≤ d (default 2).</param>
    /// <param name="explainedVarianceRatio">Fraction of the total variance each component explains.</param>
    public static double[] Project(ReadOnlySpan<float> data, int rows, int columns, int components, out double[] explainedVarianceRatio)
    {
        if (rows < 2) throw new ArgumentException($"PCA needs at least 2 rows, got {rows}");
        if (components < 1 || components > columns) throw new ArgumentOutOfRangeException(nameof(components), $"components must be 1..{columns}, got {components}");
        if (data.Length != (long)rows * columns) throw new ArgumentException($"data has {data.Length} values, expected {rows}×{columns}");
        var x = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(rows, columns);
        var mean = new double[columns];
        for (int i = 0; i < rows; i++) for (int j = 0; j < columns; j++) mean[j] += data[i * columns + j];
        for (int j = 0; j < columns; j++) mean[j] /= rows;
        for (int i = 0; i < rows; i++) for (int j = 0; j < columns; j++) x[i, j] = data[i * columns + j] - mean[j];
        var cov = x.TransposeThisAndMultiply(x) / (rows - 1);
        var evd = cov.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        // Eigenvalues come in ascending order; take the largest k.
        var values = evd.EigenValues.Select(c => c.Real).ToArray();
        var order = Enumerable.Range(0, columns).OrderByDescending(i => values[i]).Take(components).ToArray();
        double total = values.Where(v => v > 0).Sum();
        explainedVarianceRatio = order.Select(i => total > 0 ? Math.Max(0, values[i]) / total : 0).ToArray();
        var result = new double[rows * components];
        for (int c = 0; c < components; c++)
        {
            var v = evd.EigenVectors.Column(order[c]);
            int arg = 0;
            for (int j = 1; j < columns; j++) if (Math.Abs(v[j]) > Math.Abs(v[arg])) arg = j;
            double sign = v[arg] < 0 ? -1 : 1;
            var proj = x * v;
            for (int i = 0; i < rows; i++) result[i * components + c] = sign * proj[i];
        }
        return result;
    }
}
