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
