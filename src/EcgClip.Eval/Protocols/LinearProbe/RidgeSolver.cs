using System.Numerics.Tensors;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// Ridge regression in closed form, as scikit-learn's <c>Ridge(alpha, fit_intercept=True)</c>: minimises
/// ‖y − X·w − b‖² + α‖w‖² (a sum, not a mean) per target, by centring X and y on their training means and solving
/// (XcᵀXc + αI)·w = Xcᵀyc with a Cholesky factorisation; b = ȳ − x̄·w. The Gram matrix and Xcᵀyc are computed once and
/// reused for every α of a grid.
/// </summary>
internal sealed class RidgeSolver
{
    private readonly double[] _gram;
    private readonly double[] _xty; // [T][d]
    private readonly double[] _xMean;
    private readonly double[] _yMean;
    private readonly int _d;
    private readonly int _targets;

    /// <summary>Precomputes the centred Gram matrix and cross products.</summary>
    /// <param name="x">Design <c>[n, d]</c>.</param>
    /// <param name="y">Row-major targets <c>[n, T]</c>.</param>
    /// <param name="targets">T.</param>
    public RidgeSolver(DesignMatrix x, ReadOnlySpan<double> y, int targets)
    {
        int n = x.Rows, d = x.Columns;
        _d = d;
        _targets = targets;
        _xMean = new double[d];
        var centred = new double[d * n];
        for (int j = 0; j < d; j++)
        {
            _xMean[j] = TensorPrimitives.Sum(x.Column(j)) / n;
            TensorPrimitives.Subtract(x.Column(j), _xMean[j], centred.AsSpan(j * n, n));
        }
        _gram = new double[d * d];
        for (int j = 0; j < d; j++)
            for (int k = j; k < d; k++)
                _gram[j * d + k] = TensorPrimitives.Dot(centred.AsSpan(j * n, n), centred.AsSpan(k * n, n));
        _yMean = new double[targets];
        _xty = new double[targets * d];
        var yc = new double[n];
        for (int t = 0; t < targets; t++)
        {
            double mean = 0;
            for (int i = 0; i < n; i++) mean += y[i * targets + t];
            mean /= n;
            _yMean[t] = mean;
            for (int i = 0; i < n; i++) yc[i] = y[i * targets + t] - mean;
            for (int j = 0; j < d; j++) _xty[t * d + j] = TensorPrimitives.Dot(centred.AsSpan(j * n, n), yc);
        }
    }

    /// <summary>Solves for <paramref name="alpha"/>; returns θ row-major <c>[T, d+1]</c> (weights then intercept).</summary>
    public double[] Solve(double alpha)
    {
        int d = _d;
        var a = (double[])_gram.Clone();
        for (int j = 0; j < d; j++) a[j * d + j] += alpha;
        if (!Cholesky.Factor(a, d))
            throw new InvalidOperationException($"ridge system is singular at alpha = {alpha}; use a positive alpha");
        var theta = new double[_targets * (d + 1)];
        for (int t = 0; t < _targets; t++)
        {
            var w = theta.AsSpan(t * (d + 1), d);
            _xty.AsSpan(t * d, d).CopyTo(w);
            Cholesky.Solve(a, d, w);
            theta[t * (d + 1) + d] = _yMean[t] - TensorPrimitives.Dot(_xMean, w);
        }
        return theta;
    }
}
