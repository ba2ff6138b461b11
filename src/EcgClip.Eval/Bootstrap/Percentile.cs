namespace EcgClip.Eval.Bootstrap;

/// <summary>Percentiles with numpy's default ("linear") interpolation.</summary>
internal static class Percentile
{
    /// <summary>
    /// The <paramref name="q"/>-th percentile (0–100) of the finite values of <paramref name="values"/>, ignoring NaN;
    /// NaN when there is none. Sorts <paramref name="scratch"/>, which must be at least as long as the values.
    /// </summary>
    public static double Of(ReadOnlySpan<double> values, double q, Span<double> scratch, out int used)
    {
        used = 0;
        foreach (double v in values)
            if (!double.IsNaN(v)) scratch[used++] = v;
        var s = scratch[..used];
        s.Sort();
        return Sorted(s, q);
    }

    /// <summary>Percentile of already sorted values (numpy <c>method="linear"</c>); NaN when empty.</summary>
    public static double Sorted(ReadOnlySpan<double> sorted, double q)
    {
        if (sorted.IsEmpty) return double.NaN;
        double h = (sorted.Length - 1) * (q / 100.0);
        int lo = (int)Math.Floor(h);
        if (lo >= sorted.Length - 1) return sorted[^1];
        double t = h - lo, a = sorted[lo], b = sorted[lo + 1], d = b - a;
        // numpy's _lerp: a + d·t, or b − d·(1−t) for t ≥ 0.5 (monotone and exact at the ends)
        return t >= 0.5 ? b - d * (1 - t) : a + d * t;
    }
}
