using System.Numerics.Tensors;

namespace EcgClip.Eval.Protocols;

/// <summary>A column-major float64 design matrix <c>[n, d]</c>: column j is <c>Values[j·n .. (j+1)·n)</c>.</summary>
internal sealed class DesignMatrix(double[] values, int rows, int columns)
{
    /// <summary>Column-major values.</summary>
    public double[] Values { get; } = values;

    /// <summary>Number of rows n.</summary>
    public int Rows { get; } = rows;

    /// <summary>Number of columns d.</summary>
    public int Columns { get; } = columns;

    /// <summary>Column <paramref name="j"/>.</summary>
    public ReadOnlySpan<double> Column(int j) => Values.AsSpan(j * Rows, Rows);

    /// <summary>z = X·w + b (length n).</summary>
    public void Multiply(ReadOnlySpan<double> w, double b, Span<double> z)
    {
        z.Fill(b);
        for (int j = 0; j < Columns; j++)
            if (w[j] != 0) TensorPrimitives.MultiplyAdd(Column(j), w[j], z, z);
    }

    /// <summary>g = Xᵀ·r (length d).</summary>
    public void MultiplyTransposed(ReadOnlySpan<double> r, Span<double> g)
    {
        for (int j = 0; j < Columns; j++) g[j] = TensorPrimitives.Dot(Column(j), r);
    }

    private double[]? _augmented;

    /// <summary>The columns followed by a column of ones, <c>[(d+1)][n]</c> (built once, thread-safe).</summary>
    private double[] Augmented()
    {
        return LazyInitializer.EnsureInitialized(ref _augmented, () =>
        {
            var aug = new double[(Columns + 1) * Rows];
            Values.CopyTo(aug, 0);
            aug.AsSpan(Columns * Rows, Rows).Fill(1.0);
            return aug;
        });
    }

    /// <summary>
    /// Adds the weighted Gram matrix of the design augmented with a column of ones, [X, 1]ᵀ·diag(<paramref name="weights"/>)·[X, 1],
    /// scaled by <paramref name="factor"/>, to the row-major <c>[(d+1), (d+1)]</c> block of <paramref name="h"/> at
    /// (<paramref name="rowOffset"/>, <paramref name="columnOffset"/>) with leading dimension <paramref name="ld"/>: its upper
    /// triangle for a diagonal block, the whole block otherwise.
    /// </summary>
    public void AddWeightedGram(ReadOnlySpan<double> weights, double factor, double[] h, int ld, int rowOffset, int columnOffset)
    {
        int n = Rows, m = Columns + 1;
        var aug = Augmented();
        var weighted = System.Buffers.ArrayPool<double>.Shared.Rent(m * n);
        try
        {
            for (int j = 0; j < m; j++) TensorPrimitives.Multiply(aug.AsSpan(j * n, n), weights, weighted.AsSpan(j * n, n));
            GramKernel.Accumulate(weighted.AsSpan(0, m * n), m, aug, m, n, factor, h, ld, rowOffset, columnOffset, upper: rowOffset == columnOffset);
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(weighted);
        }
    }
}
