using System.Numerics.Tensors;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// Per-column z-scoring fitted on the training rows, as scikit-learn's <c>StandardScaler</c>: mean and population
/// standard deviation (ddof = 0), a zero deviation replaced by 1. Produces column-major float64 designs.
/// </summary>
internal sealed class Standardizer
{
    private Standardizer(double[] mean, double[] scale)
    {
        Mean = mean;
        Scale = scale;
    }

    /// <summary>Column means of the training rows.</summary>
    public double[] Mean { get; }

    /// <summary>Column scales (population sd, 1 where it is 0).</summary>
    public double[] Scale { get; }

    /// <summary>Fits the column statistics of <paramref name="x"/>.</summary>
    public static Standardizer Fit(FeatureMatrix x)
    {
        int n = x.Rows, d = x.Columns;
        var mean = new double[d];
        var m2 = new double[d];
        var row = new double[d];
        for (int i = 0; i < n; i++)
        {
            Widen(x.Row(i), row);
            TensorPrimitives.Add(mean, row, mean);
        }
        TensorPrimitives.Divide(mean, n, mean);
        for (int i = 0; i < n; i++)
        {
            Widen(x.Row(i), row);
            TensorPrimitives.Subtract(row, mean, row);
            TensorPrimitives.MultiplyAdd(row, row, m2, m2);
        }
        var scale = new double[d];
        for (int j = 0; j < d; j++)
        {
            double sd = Math.Sqrt(m2[j] / n);
            scale[j] = sd == 0 ? 1.0 : sd;
        }
        return new Standardizer(mean, scale);
    }

    /// <summary>The standardised design of <paramref name="x"/>, column-major (<c>[d][n]</c>).</summary>
    public DesignMatrix Transform(FeatureMatrix x)
    {
        int n = x.Rows, d = x.Columns;
        if (d != Mean.Length) throw new ArgumentException($"features have {d} columns, the probe was fitted on {Mean.Length}");
        var cols = new double[d * n];
        for (int i = 0; i < n; i++)
        {
            var r = x.Row(i);
            for (int j = 0; j < d; j++) cols[j * n + i] = (r[j] - Mean[j]) / Scale[j];
        }
        return new DesignMatrix(cols, n, d);
    }

    private static void Widen(ReadOnlySpan<float> source, Span<double> destination)
    {
        for (int j = 0; j < source.Length; j++) destination[j] = source[j];
    }
}

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
