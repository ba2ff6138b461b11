namespace EcgClip.Eval.Projection;

/// <summary>Options of <see cref="Tsne"/>.</summary>
public sealed record TsneOptions
{
    /// <summary>Perplexity, the effective number of neighbours (default 30; at most (n − 1)/3 is used).</summary>
    public double Perplexity { get; init; } = 30;
    /// <summary>Gradient-descent iterations (default 750).</summary>
    public int Iterations { get; init; } = 750;
    /// <summary>Learning rate (default: max(n / 12 / 4, 50), the "auto" rule of Belkina et al. 2019).</summary>
    public double? LearningRate { get; init; }
    /// <summary>Seed of the initial layout.</summary>
    public int Seed { get; init; }
}

/// <summary>
/// Exact t-SNE (van der Maaten and Hinton, JMLR 2008) to two dimensions, O(n²) per iteration — meant for embedding maps
/// of up to a few thousand ECGs. Gaussian input affinities with a per-point bandwidth found by bisection to match the
/// perplexity, symmetrised P = (P_{j|i} + P_{i|j}) / 2n; Student-t output affinities; early exaggeration ×12 for the
/// first 250 iterations; momentum 0.5 then 0.8; per-parameter gains (Jacobs 1988) as in the reference implementation.
/// </summary>
public static class Tsne
{
    /// <summary>Two-dimensional coordinates <c>[n, 2]</c> of the rows of <paramref name="data"/> <c>[n, d]</c>.</summary>
    /// <param name="data">Row-major samples.</param>
    /// <param name="rows">n (at least 4).</param>
    /// <param name="columns">d.</param>
    /// <param name="options">Perplexity, iterations, seed.</param>
    /// <param name="finalKl">The KL divergence KL(P‖Q) at the end.</param>
    public static double[] Embed(ReadOnlySpan<float> data, int rows, int columns, TsneOptions? options, out double finalKl)
    {
        options ??= new TsneOptions();
        if (rows < 4) throw new ArgumentException($"t-SNE needs at least 4 rows, got {rows}");
        if (data.Length != (long)rows * columns) throw new ArgumentException($"data has {data.Length} values, expected {rows}×{columns}");
        int n = rows;
        double perplexity = Math.Min(options.Perplexity, (n - 1) / 3.0);
        var p = Affinities(data, n, columns, perplexity);
        var rng = new Random(options.Seed);
        var y = new double[n * 2];
        for (int i = 0; i < y.Length; i++) y[i] = 1e-4 * Gaussian(rng);
        var velocity = new double[n * 2];
        var gains = Enumerable.Repeat(1.0, n * 2).ToArray();
        var grad = new double[n * 2];
        var q = new double[n * n];
        double eta = options.LearningRate ?? Math.Max(n / 12.0 / 4.0, 50);
        for (int it = 0; it < options.Iterations; it++)
        {
            double exaggeration = it < 250 ? 12 : 1, momentum = it < 250 ? 0.5 : 0.8;
            double sumQ = StudentT(y, n, q);
            Array.Clear(grad);
            for (int i = 0; i < n; i++)
            {
                double gx = 0, gy = 0;
                for (int j = 0; j < n; j++)
                {
                    if (i == j) continue;
                    double w = q[i * n + j]; // unnormalised (1 + d²)⁻¹
                    double m = (exaggeration * p[i * n + j] - w / sumQ) * w;
                    gx += m * (y[2 * i] - y[2 * j]);
                    gy += m * (y[2 * i + 1] - y[2 * j + 1]);
                }
                grad[2 * i] = 4 * gx;
                grad[2 * i + 1] = 4 * gy;
            }
            for (int k = 0; k < y.Length; k++)
            {
                gains[k] = Math.Sign(grad[k]) != Math.Sign(velocity[k]) ? gains[k] + 0.2 : Math.Max(0.01, gains[k] * 0.8);
                velocity[k] = momentum * velocity[k] - eta * gains[k] * grad[k];
                y[k] += velocity[k];
            }
            double mx = 0, my = 0;
            for (int i = 0; i < n; i++) { mx += y[2 * i]; my += y[2 * i + 1]; }
            for (int i = 0; i < n; i++) { y[2 * i] -= mx / n; y[2 * i + 1] -= my / n; }
        }
        double s = StudentT(y, n, q);
        finalKl = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (i != j && p[i * n + j] > 1e-12) finalKl += p[i * n + j] * Math.Log(p[i * n + j] / Math.Max(q[i * n + j] / s, 1e-12));
        return y;
    }

    /// <summary>The KL divergence of a given layout (for tests: it should fall below that of the initial random layout).</summary>
    internal static double KlOf(ReadOnlySpan<float> data, int n, int columns, double perplexity, double[] y)
    {
        var p = Affinities(data, n, columns, Math.Min(perplexity, (n - 1) / 3.0));
        var q = new double[n * n];
        double s = StudentT(y, n, q), kl = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (i != j && p[i * n + j] > 1e-12) kl += p[i * n + j] * Math.Log(p[i * n + j] / Math.Max(q[i * n + j] / s, 1e-12));
        return kl;
    }

    private static double StudentT(double[] y, int n, double[] q)
    {
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            q[i * n + i] = 0;
            for (int j = i + 1; j < n; j++)
            {
                double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                double w = 1 / (1 + dx * dx + dy * dy);
                q[i * n + j] = q[j * n + i] = w;
                sum += 2 * w;
            }
        }
        return Math.Max(sum, 1e-300);
    }

    private static double[] Affinities(ReadOnlySpan<float> data, int n, int d, double perplexity)
    {
        var dist = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < d; k++) { double t = data[i * d + k] - data[j * d + k]; s += t * t; }
                dist[i * n + j] = dist[j * n + i] = s;
            }
        var p = new double[n * n];
        double target = Math.Log(perplexity);
        var row = new double[n];
        for (int i = 0; i < n; i++)
        {
            double lo = 0, hi = double.PositiveInfinity, beta = 1;
            for (int iter = 0; iter < 100; iter++)
            {
                double sum = 0, sumDP = 0;
                double min = double.PositiveInfinity;
                for (int j = 0; j < n; j++) if (j != i) min = Math.Min(min, dist[i * n + j]);
                for (int j = 0; j < n; j++)
                {
                    row[j] = j == i ? 0 : Math.Exp(-beta * (dist[i * n + j] - min));
                    sum += row[j];
                    sumDP += row[j] * (dist[i * n + j] - min);
                }
                double entropy = Math.Log(sum) + beta * sumDP / sum;
                if (Math.Abs(entropy - target) < 1e-5) break;
                if (entropy > target) { lo = beta; beta = double.IsPositiveInfinity(hi) ? beta * 2 : (beta + hi) / 2; }
                else { hi = beta; beta = (beta + lo) / 2; }
            }
            double total = row.Sum();
            for (int j = 0; j < n; j++) p[i * n + j] = row[j] / total;
        }
        var sym = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) sym[i * n + j] = Math.Max((p[i * n + j] + p[j * n + i]) / (2.0 * n), 1e-12);
        return sym;
    }

    private static double Gaussian(Random rng)
    {
        double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
