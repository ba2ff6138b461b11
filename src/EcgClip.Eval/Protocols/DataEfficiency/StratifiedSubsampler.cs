using EcgClip.Core.Abstractions;
using EcgClip.Eval.Bootstrap;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// Label-stratified subsampling of a training split to a fraction of its rows, deterministic for a seed.
/// </summary>
/// <remarks>
/// <para>The subset has exactly m = max(1, round(fraction · n)) rows (all n rows, in order, for fraction 1). Rows are
/// described by indicator columns: the labels (binary, multi-label), the one-hot class (multiclass), or — for
/// regression — the decile bin of the first target, so every kind is stratified the same way.</para>
/// <para><b>Coverage first.</b> Labels with at least one positive row are visited rarest first; a label not yet
/// covered takes one of its positive rows — the one covering the most still-uncovered labels, ties broken by the
/// seeded order. This stops when m rows are taken, so every such label gets ≥ 1 positive whenever m allows it
/// (with more labels than rows, the rarest are covered first).</para>
/// <para><b>Then iterative stratification</b> (Sechidis, Tsoumakas &amp; Vlahavas 2011, two folds of sizes m and n − m):
/// the label with the fewest unassigned positives is taken next, and each of its rows (in seeded order) goes to the
/// fold with the larger remaining demand for that label (desired = fraction · count, minus what the fold holds),
/// ties to the fold with more room, while the subset still has room. Rows without any positive fill the remaining
/// room last, in seeded order.</para>
/// </remarks>
public static class StratifiedSubsampler
{
    /// <summary>Row indices (ascending) of the subsample of <paramref name="targets"/>.</summary>
    /// <param name="targets">The training targets.</param>
    /// <param name="fraction">Fraction of rows to keep, in (0, 1].</param>
    /// <param name="seed">Seed of the row order used for every tie.</param>
    /// <exception cref="ArgumentOutOfRangeException">A fraction outside (0, 1].</exception>
    public static int[] Sample(ProbeTargets targets, double fraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (!(fraction > 0 && fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "fraction must be in (0, 1]");
        int n = targets.Rows;
        if (fraction == 1) return Enumerable.Range(0, n).ToArray();
        int m = Math.Max(1, (int)Math.Round(fraction * n, MidpointRounding.AwayFromZero));
        var (indicators, columns) = Indicators(targets);
        return Sample(indicators, n, columns, m, fraction, seed);
    }

    /// <summary>The core on a row-major <c>[n, columns]</c> indicator matrix; returns m ascending row indices.</summary>
    internal static int[] Sample(bool[] y, int n, int columns, int m, double fraction, ulong seed)
    {
        var order = Permutation(n, seed);
        var rank = new int[n];
        for (int i = 0; i < n; i++) rank[order[i]] = i;
        var rowsOf = new List<int>[columns];
        for (int l = 0; l < columns; l++) rowsOf[l] = [];
        foreach (int i in order)
            for (int l = 0; l < columns; l++)
                if (y[i * columns + l]) rowsOf[l].Add(i);

        var taken = new bool[n];
        var assigned = new bool[n];
        int size = 0;
        var covered = new bool[columns];
        var subsetHas = new int[columns];
        void Take(int i)
        {
            taken[i] = assigned[i] = true;
            size++;
            for (int l = 0; l < columns; l++)
                if (y[i * columns + l])
                {
                    covered[l] = true;
                    subsetHas[l]++;
                }
        }

        // 1. coverage, rarest label first
        foreach (int l in Enumerable.Range(0, columns).Where(l => rowsOf[l].Count > 0).OrderBy(l => rowsOf[l].Count).ThenBy(l => l))
        {
            if (size >= m) break;
            if (covered[l]) continue;
            int best = -1, bestGain = -1;
            foreach (int i in rowsOf[l])
            {
                int gain = 0;
                for (int k = 0; k < columns; k++) if (y[i * columns + k] && !covered[k]) gain++;
                if (gain > bestGain) { best = i; bestGain = gain; } // rowsOf is in seeded order: first wins ties
            }
            Take(best);
        }

        // 2. iterative stratification of the rest between the subset (room m − size) and the remainder
        var desiredSubset = new double[columns];
        var desiredRest = new double[columns];
        var remaining = new int[columns];
        for (int l = 0; l < columns; l++)
        {
            desiredSubset[l] = fraction * rowsOf[l].Count - subsetHas[l];
            desiredRest[l] = (1 - fraction) * rowsOf[l].Count;
            foreach (int i in rowsOf[l]) if (!assigned[i]) remaining[l]++;
        }
        int restRoom = n - m;
        while (true)
        {
            int label = -1;
            for (int l = 0; l < columns; l++)
                if (remaining[l] > 0 && (label < 0 || remaining[l] < remaining[label])) label = l;
            if (label < 0) break;
            foreach (int i in rowsOf[label])
            {
                if (assigned[i]) continue;
                int subsetRoom = m - size;
                bool toSubset = subsetRoom > 0 && (restRoom <= 0 || desiredSubset[label] > desiredRest[label] ||
                    (desiredSubset[label] == desiredRest[label] && subsetRoom >= restRoom));
                assigned[i] = true;
                if (toSubset) taken[i] = true; else restRoom--;
                if (toSubset) size++;
                for (int l = 0; l < columns; l++)
                {
                    if (!y[i * columns + l]) continue;
                    remaining[l]--;
                    if (toSubset) desiredSubset[l]--; else desiredRest[l]--;
                }
            }
        }

        // 3. rows without positives (and anything left) fill the remaining room in seeded order
        foreach (int i in order)
        {
            if (size >= m) break;
            if (!taken[i] && !assigned[i]) { taken[i] = true; size++; }
        }
        foreach (int i in order) // the subset may still lack rows when stratification sent too many away
        {
            if (size >= m) break;
            if (!taken[i]) { taken[i] = true; size++; }
        }
        return Enumerable.Range(0, n).Where(i => taken[i]).ToArray();
    }

    private static (bool[] Indicators, int Columns) Indicators(ProbeTargets targets)
    {
        int n = targets.Rows;
        if (targets.Kind != TaskKind.Regression)
        {
            var v = targets.Values;
            var y = new bool[v.Length];
            for (int i = 0; i < v.Length; i++) y[i] = v[i] == 1;
            return (y, targets.Outputs);
        }
        const int bins = 10;
        var first = new double[n];
        for (int i = 0; i < n; i++) first[i] = targets[i, 0];
        var sorted = first.Order().ToArray();
        var yb = new bool[n * bins];
        for (int i = 0; i < n; i++)
        {
            int below = LowerBound(sorted, first[i]);
            int bin = Math.Min(bins - 1, below * bins / n);
            yb[i * bins + bin] = true;
        }
        return (yb, bins);
    }

    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>A seeded Fisher–Yates permutation of 0..n−1 (xoshiro256**, stream 0 of the seed).</summary>
    internal static int[] Permutation(int n, ulong seed)
    {
        var p = Enumerable.Range(0, n).ToArray();
        var rng = Xoshiro256StarStar.Create(seed, 0x5AB5A3C1UL);
        for (int i = n - 1; i > 0; i--)
        {
            int j = (int)rng.NextBounded((uint)(i + 1));
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}
