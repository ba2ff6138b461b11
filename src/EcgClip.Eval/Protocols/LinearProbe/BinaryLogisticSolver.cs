using System.Numerics.Tensors;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// L2-regularised binary logistic regression solved to machine precision by damped Newton steps (exact Hessian,
/// Cholesky, Armijo backtracking), in float64. Minimises scikit-learn's <c>LogisticRegression(penalty="l2", C)</c> objective
/// f(w, b) = ½‖w‖² + C·Σᵢ [log(1 + e^{zᵢ}) − yᵢ·zᵢ], zᵢ = xᵢ·w + b, with the intercept b unpenalised; the problem is
/// strictly convex, so any solver that converges reaches the same optimum as sklearn's L-BFGS.
/// </summary>
internal static class BinaryLogisticSolver
{
    /// <summary>Fits one task. Returns θ = (w₀ … w_{d−1}, b), length d + 1.</summary>
    /// <param name="x">Standardised design <c>[n, d]</c>.</param>
    /// <param name="y">0/1 labels with both classes present.</param>
    /// <param name="c">Inverse regularisation strength C &gt; 0.</param>
    /// <param name="start">Optional warm start θ (e.g. the solution at a neighbouring C).</param>
    /// <param name="maxIterations">Newton iteration cap.</param>
    /// <param name="iterations">Newton steps taken.</param>
    public static double[] Fit(DesignMatrix x, ReadOnlySpan<double> y, double c, double[]? start, int maxIterations, out int iterations)
    {
        int n = x.Rows, d = x.Columns, m = d + 1;
        var theta = start is null ? new double[m] : (double[])start.Clone();
        var z = new double[n];
        var dz = new double[n];
        var r = new double[n];
        var weights = new double[n];
        var g = new double[m];
        var step = new double[m];
        var h = new double[m * m];
        x.Multiply(theta.AsSpan(0, d), theta[d], z);
        double f = Objective(z, y, theta.AsSpan(0, d), c);
        iterations = 0;
        while (iterations < maxIterations)
        {
            for (int i = 0; i < n; i++)
            {
                double p = Sigmoid(z[i]);
                r[i] = p - y[i];
                weights[i] = p * (1 - p);
            }
            x.MultiplyTransposed(r, g.AsSpan(0, d));
            TensorPrimitives.Multiply(g.AsSpan(0, d), c, g.AsSpan(0, d));
            TensorPrimitives.Add(g.AsSpan(0, d), theta.AsSpan(0, d), g.AsSpan(0, d));
            g[d] = c * TensorPrimitives.Sum(r);

            Array.Clear(h);
            x.AddWeightedGram(weights, c, h, m, 0, 0);
            for (int j = 0; j < d; j++) h[j * m + j] += 1.0;
            if (!(h[d * m + d] > 1e-12 * (1 + c * n))) h[d * m + d] += 1e-12 * (1 + c * n);
            if (!Cholesky.Factor(h, m)) throw new InvalidOperationException("logistic Hessian is not positive definite (non-finite features?)");
            for (int j = 0; j < m; j++) step[j] = -g[j];
            Cholesky.Solve(h, m, step);
            double slope = TensorPrimitives.Dot(g, step); // −(Newton decrement)², ≤ 0
            iterations++;
            // Newton decrement λ² = −gᵀΔ ≈ 2(f − f*): converged once it is below what float64 can resolve in f
            double decrement = -slope, scale = 1 + Math.Abs(f);
            if (decrement <= 1e-24 * scale) break;
            bool quadratic = decrement <= 1e-10 * scale; // full steps; f differences are rounding noise here

            x.Multiply(step.AsSpan(0, d), step[d], dz);
            double t = 1.0, fNew = double.NaN;
            for (int ls = 0; ls < 60; ls++)
            {
                fNew = ObjectiveAlong(z, dz, t, y, theta.AsSpan(0, d), step.AsSpan(0, d), c);
                if (quadratic || fNew <= f + 1e-4 * t * slope) break;
                t *= 0.5;
            }
            if (!quadratic && !(fNew <= f)) break; // no decrease possible at machine precision
            TensorPrimitives.MultiplyAdd(step, t, theta, theta);
            TensorPrimitives.MultiplyAdd(dz, t, z, z);
            f = fNew;
            // in the quadratic regime one more full step leaves an error of order λ⁴: stop there
            if (t == 1.0 && decrement <= 1e-20 * scale) break;
        }
        return theta;
    }

    /// <summary>Probability of the positive class, stable for any z.</summary>
    public static double Sigmoid(double z) => z >= 0 ? 1.0 / (1.0 + Math.Exp(-z)) : Math.Exp(z) / (1.0 + Math.Exp(z));

    /// <summary>log(1 + eᶻ) without overflow.</summary>
    public static double Softplus(double z) => Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));

    private static double Objective(ReadOnlySpan<double> z, ReadOnlySpan<double> y, ReadOnlySpan<double> w, double c)
    {
        double loss = 0;
        for (int i = 0; i < z.Length; i++) loss += Softplus(z[i]) - y[i] * z[i];
        return 0.5 * TensorPrimitives.SumOfSquares(w) + c * loss;
    }

    private static double ObjectiveAlong(ReadOnlySpan<double> z, ReadOnlySpan<double> dz, double t, ReadOnlySpan<double> y,
        ReadOnlySpan<double> w, ReadOnlySpan<double> dw, double c)
    {
        double loss = 0;
        for (int i = 0; i < z.Length; i++)
        {
            double zi = z[i] + t * dz[i];
            loss += Softplus(zi) - y[i] * zi;
        }
        double reg = 0;
        for (int j = 0; j < w.Length; j++)
        {
            double v = w[j] + t * dw[j];
            reg += v * v;
        }
        return 0.5 * reg + c * loss;
    }
}
