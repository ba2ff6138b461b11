using System.Numerics.Tensors;

namespace EcgClip.Eval.Protocols;

/// <summary>In-place Cholesky factorisation and solves of a dense symmetric positive definite matrix (row-major, float64).</summary>
internal static class Cholesky
{
    /// <summary>
    /// Factors the row-major <c>[m, m]</c> matrix whose upper triangle is <paramref name="a"/> into Lᵀ (upper, in place):
    /// A = Lᵀᵀ·Lᵀ. Returns false when a pivot is not positive (the matrix is not numerically positive definite).
    /// </summary>
    public static bool Factor(double[] a, int m)
    {
        // Column-oriented on the upper triangle: U[j,j..] from rows above; U stored in a's upper triangle.
        for (int j = 0; j < m; j++)
        {
            var rowJ = a.AsSpan(j * m, m);
            for (int k = 0; k < j; k++)
            {
                double ukj = a[k * m + j];
                if (ukj != 0) TensorPrimitives.MultiplyAdd(a.AsSpan(k * m + j, m - j), -ukj, rowJ[j..], rowJ[j..]);
            }
            double pivot = rowJ[j];
            if (!(pivot > 0) || !double.IsFinite(pivot)) return false;
            double s = Math.Sqrt(pivot);
            TensorPrimitives.Divide(rowJ[j..], s, rowJ[j..]);
        }
        return true;
    }

    /// <summary>Solves A·x = b in place (<paramref name="b"/> becomes x) with the factor from <see cref="Factor"/>.</summary>
    public static void Solve(double[] u, int m, Span<double> b)
    {
        // Uᵀ·y = b (forward), U·x = y (backward)
        for (int i = 0; i < m; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= u[k * m + i] * b[k];
            b[i] = s / u[i * m + i];
        }
        for (int i = m - 1; i >= 0; i--)
        {
            double s = b[i] - TensorPrimitives.Dot(u.AsSpan(i * m + i + 1, m - i - 1), b.Slice(i + 1, m - i - 1));
            b[i] = s / u[i * m + i];
        }
    }
}
