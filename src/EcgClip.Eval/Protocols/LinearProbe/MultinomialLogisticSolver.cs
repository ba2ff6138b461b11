using System.Numerics.Tensors;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// L2-regularised multinomial (softmax) logistic regression by damped Newton steps in float64, minimising
/// scikit-learn's multinomial <c>LogisticRegression(C)</c> objective f(W, b) = ½‖W‖²_F + C·Σᵢ [log Σₖ e^{zᵢₖ} − zᵢ,yᵢ],
/// zᵢₖ = xᵢ·Wₖ + bₖ, intercepts unpenalised.
/// </summary>
/// <remarks>
/// f is invariant to adding one constant to every intercept; a term ½(Σₖ bₖ)² removes that flat direction and keeps
/// Σₖ bₖ = 0, where sklearn's L-BFGS also stays when started from zero. Probabilities do not depend on the shift.
/// The Hessian is K(d+1) square, so this is meant for a handful of classes.
/// </remarks>
internal static class MultinomialLogisticSolver
{
    /// <summary>Fits all classes. Returns θ row-major <c>[K, d+1]</c> (weights then intercept per class).</summary>
    public static double[] Fit(DesignMatrix x, ReadOnlySpan<int> classes, int k, double c, double[]? start, int maxIterations, out int iterations)
    {
        int n = x.Rows, d = x.Columns, m1 = d + 1, m = k * m1;
        var theta = start is null ? new double[m] : (double[])start.Clone();
        var z = new double[n * k];   // [K][n]
        var dz = new double[n * k];
        var p = new double[n * k];
        var r = new double[n];
        var wts = new double[n];
        var g = new double[m];
        var step = new double[m];
        var h = new double[m * m];
        Logits(x, theta, k, z);
        double f = Objective(z, classes, theta, k, d, c, n);
        iterations = 0;
        while (iterations < maxIterations)
        {
            Softmax(z, k, n, p);
            for (int a = 0; a < k; a++)
            {
                var pa = p.AsSpan(a * n, n);
                for (int i = 0; i < n; i++) r[i] = pa[i] - (classes[i] == a ? 1 : 0);
                var ga = g.AsSpan(a * m1, m1);
                x.MultiplyTransposed(r, ga[..d]);
                TensorPrimitives.Multiply(ga[..d], c, ga[..d]);
                TensorPrimitives.Add(ga[..d], theta.AsSpan(a * m1, d), ga[..d]);
                ga[d] = c * TensorPrimitives.Sum(r);
            }
            double biasSum = 0;
            for (int a = 0; a < k; a++) biasSum += theta[a * m1 + d];
            for (int a = 0; a < k; a++) g[a * m1 + d] += biasSum;

            Array.Clear(h);
            for (int a = 0; a < k; a++)
            {
                for (int b = a; b < k; b++)
                {
                    var pa = p.AsSpan(a * n, n);
                    var pb = p.AsSpan(b * n, n);
                    for (int i = 0; i < n; i++) wts[i] = a == b ? pa[i] * (1 - pa[i]) : -pa[i] * pb[i];
                    x.AddWeightedGram(wts, c, h, m, a * m1, b * m1);
                }
                for (int j = 0; j < d; j++) h[(a * m1 + j) * m + a * m1 + j] += 1.0;
                for (int b = a; b < k; b++) h[(a * m1 + d) * m + b * m1 + d] += 1.0; // ½(Σ b)²
            }
            if (!Cholesky.Factor(h, m)) throw new InvalidOperationException("multinomial Hessian is not positive definite (non-finite features?)");
            for (int j = 0; j < m; j++) step[j] = -g[j];
            Cholesky.Solve(h, m, step);
            double slope = TensorPrimitives.Dot(g, step);
            iterations++;
            // Newton decrement λ² = −gᵀΔ ≈ 2(f − f*): converged once it is below what float64 can resolve in f
            double decrement = -slope, scale = 1 + Math.Abs(f);
            if (decrement <= 1e-24 * scale) break;
            bool quadratic = decrement <= 1e-10 * scale; // full steps; f differences are rounding noise here

            Logits(x, step, k, dz, withBias: true);
            double t = 1.0, fNew = double.NaN;
            var trial = new double[m];
            var zt = new double[n * k];
            for (int ls = 0; ls < 60; ls++)
            {
                TensorPrimitives.MultiplyAdd(step, t, theta, trial);
                TensorPrimitives.MultiplyAdd(dz, t, z, zt);
                fNew = Objective(zt, classes, trial, k, d, c, n);
                if (quadratic || fNew <= f + 1e-4 * t * slope) break;
                t *= 0.5;
            }
            if (!quadratic && !(fNew <= f)) break;
            TensorPrimitives.MultiplyAdd(step, t, theta, theta);
            TensorPrimitives.MultiplyAdd(dz, t, z, z);
            f = fNew;
            // in the quadratic regime one more full step leaves an error of order λ⁴: stop there
            if (t == 1.0 && decrement <= 1e-20 * scale) break;
        }
        return theta;
    }

    /// <summary>Class logits <c>[K][n]</c> of θ.</summary>
    public static void Logits(DesignMatrix x, ReadOnlySpan<double> theta, int k, Span<double> z, bool withBias = true)
    {
        int n = x.Rows, d = x.Columns, m1 = d + 1;
        for (int a = 0; a < k; a++) x.Multiply(theta.Slice(a * m1, d), withBias ? theta[a * m1 + d] : 0, z.Slice(a * n, n));
    }

    /// <summary>Row-wise softmax of logits <c>[K][n]</c> into <paramref name="p"/> (same layout).</summary>
    public static void Softmax(ReadOnlySpan<double> z, int k, int n, Span<double> p)
    {
        for (int i = 0; i < n; i++)
        {
            double max = double.NegativeInfinity;
            for (int a = 0; a < k; a++) max = Math.Max(max, z[a * n + i]);
            double sum = 0;
            for (int a = 0; a < k; a++) sum += p[a * n + i] = Math.Exp(z[a * n + i] - max);
            for (int a = 0; a < k; a++) p[a * n + i] /= sum;
        }
    }

    private static double Objective(ReadOnlySpan<double> z, ReadOnlySpan<int> classes, ReadOnlySpan<double> theta, int k, int d, double c, int n)
    {
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            double max = double.NegativeInfinity;
            for (int a = 0; a < k; a++) max = Math.Max(max, z[a * n + i]);
            double sum = 0;
            for (int a = 0; a < k; a++) sum += Math.Exp(z[a * n + i] - max);
            loss += max + Math.Log(sum) - z[classes[i] * n + i];
        }
        double reg = 0, biasSum = 0;
        for (int a = 0; a < k; a++)
        {
            reg += TensorPrimitives.SumOfSquares(theta.Slice(a * (d + 1), d));
            biasSum += theta[a * (d + 1) + d];
        }
        return 0.5 * reg + 0.5 * biasSum * biasSum + c * loss;
    }
}
