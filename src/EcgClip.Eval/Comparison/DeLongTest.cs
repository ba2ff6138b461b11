using MathNet.Numerics.Distributions;

namespace EcgClip.Eval.Comparison;

/// <summary>DeLong's test of two correlated AUROCs on the same samples.</summary>
/// <param name="AreaUnderRocA">AUROC of model A.</param>
/// <param name="AreaUnderRocB">AUROC of model B.</param>
/// <param name="Difference">A − B.</param>
/// <param name="Variance">Estimated variance of the difference.</param>
/// <param name="Z">Difference / √variance (0 when both are 0).</param>
/// <param name="PValue">Two-sided p-value 2·Φ(−|z|); 1 when the two score vectors rank identically (zero variance, zero difference).</param>
public sealed record DeLongResult(double AreaUnderRocA, double AreaUnderRocB, double Difference, double Variance, double Z, double PValue);

/// <summary>
/// DeLong, DeLong &amp; Clarke-Pearson (1988) test for two correlated ROC curves, computed with the fast algorithm of
/// Sun &amp; Xu (2014, IEEE Signal Processing Letters 21(11):1389–1393): midranks replace the O(m·n) placement
/// values. Here the midrank differences are read off one descending sort per model (tie groups of
/// <see cref="Metrics.TaskRanking"/>), so the cost is one radix sort per model and task.
/// </summary>
/// <remarks>
/// With m positives and n negatives, for each model: Tx, Ty, Tz are midranks of the scores among positives,
/// negatives and all samples; AUC = (Σᵢ Tz(xᵢ) − m(m+1)/2)/(m·n); placement values V10ᵢ = (Tz(xᵢ) − Tx(xᵢ))/n and
/// V01ⱼ = 1 − (Tz(yⱼ) − Ty(yⱼ))/m; S = S10/m + S01/n with S10, S01 the sample covariance matrices (ddof 1) of the
/// placement values across the two models; var(A − B) = S₁₁ + S₂₂ − 2S₁₂.
/// </remarks>
public static class DeLongTest
{
    /// <summary>Compares two models; null when there are fewer than two positives or two negatives.</summary>
    /// <exception cref="ArgumentException">Different lengths or a non-finite score.</exception>
    public static DeLongResult? Compare(ReadOnlySpan<double> scoresA, ReadOnlySpan<double> scoresB, ReadOnlySpan<bool> labels)
    {
        if (scoresA.Length != labels.Length || scoresB.Length != labels.Length)
            throw new ArgumentException($"scores ({scoresA.Length}, {scoresB.Length}) and labels ({labels.Length}) differ in length");
        int m = 0;
        foreach (bool l in labels) m += l ? 1 : 0;
        int n = labels.Length - m;
        if (m < 2 || n < 2) return null;

        var (aucA, v10A, v01A) = Placements(scoresA, labels, m, n);
        var (aucB, v10B, v01B) = Placements(scoresB, labels, m, n);
        double s10aa = Covariance(v10A, v10A), s10bb = Covariance(v10B, v10B), s10ab = Covariance(v10A, v10B);
        double s01aa = Covariance(v01A, v01A), s01bb = Covariance(v01B, v01B), s01ab = Covariance(v01A, v01B);
        double variance = (s10aa + s10bb - 2 * s10ab) / m + (s01aa + s01bb - 2 * s01ab) / n;
        double diff = aucA - aucB;
        double z, p;
        if (variance > 0)
        {
            z = diff / Math.Sqrt(variance);
            p = 2 * Normal.CDF(0, 1, -Math.Abs(z));
        }
        else
        {
            z = diff == 0 ? 0 : double.PositiveInfinity * Math.Sign(diff);
            p = diff == 0 ? 1 : 0;
        }
        return new DeLongResult(aucA, aucB, diff, variance, z, Math.Min(1.0, p));
    }

    /// <summary>
    /// AUROC and placement values from one radix sort: for a positive, V10 = (negatives below + ½ negatives tied)/n,
    /// which equals (Tz − Tx)/n; for a negative, V01 = (positives above + ½ positives tied)/m, which equals
    /// 1 − (Tz − Ty)/m. Values are indexed by the sample's ordinal among its class, so they pair across models.
    /// </summary>
    private static (double Auc, double[] V10, double[] V01) Placements(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, int m, int n)
    {
        int total = labels.Length;
        for (int k = 0; k < total; k++)
            if (!double.IsFinite(scores[k])) throw new ArgumentException($"scores must be finite; found {scores[k]} at index {k}");
        var ordinal = new int[total];
        for (int k = 0, pos = 0, neg = 0; k < total; k++) ordinal[k] = labels[k] ? pos++ : neg++;
        var keys = new ulong[total];
        var order = new int[total];
        Metrics.TaskRanking.SortDescending(scores, labels, keys, order);
        var v10 = new double[m];
        var v01 = new double[n];
        int posAbove = 0, negAbove = 0;
        double sum = 0;
        for (int start = 0; start < total;)
        {
            int end = start + 1, gp = order[start] & 1;
            while (end < total && keys[end] == keys[start]) gp += order[end++] & 1;
            int gn = end - start - gp;
            double pv = (n - negAbove - gn / 2.0) / n;
            double nv = (posAbove + gp / 2.0) / m;
            for (int k = start; k < end; k++)
            {
                int sample = order[k] >> 1;
                if ((order[k] & 1) != 0) v10[ordinal[sample]] = pv;
                else v01[ordinal[sample]] = nv;
            }
            sum += gp * pv;
            posAbove += gp;
            negAbove += gn;
            start = end;
        }
        return (sum / m, v10, v01);
    }

    /// <summary>1-based midranks (ties get the mean of their ranks), as <c>scipy.stats.rankdata(method="average")</c>.</summary>
    internal static double[] MidRanks(double[] values)
    {
        int len = values.Length;
        var keys = (double[])values.Clone();
        var order = new int[len];
        for (int k = 0; k < len; k++) order[k] = k;
        Array.Sort(keys, order);
        var ranks = new double[len];
        for (int start = 0; start < len;)
        {
            int end = start + 1;
            while (end < len && keys[end] == keys[start]) end++;
            double mid = (start + 1 + end) / 2.0; // mean of ranks start+1 .. end
            for (int k = start; k < end; k++) ranks[order[k]] = mid;
            start = end;
        }
        return ranks;
    }

    private static double Covariance(double[] a, double[] b)
    {
        double ma = 0, mb = 0;
        for (int k = 0; k < a.Length; k++)
        {
            ma += a[k];
            mb += b[k];
        }
        ma /= a.Length;
        mb /= b.Length;
        double s = 0;
        for (int k = 0; k < a.Length; k++) s += (a[k] - ma) * (b[k] - mb);
        return s / (a.Length - 1);
    }
}
