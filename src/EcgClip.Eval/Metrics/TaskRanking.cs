using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace EcgClip.Eval.Metrics;

/// <summary>
/// One task's samples sorted once by descending score, with tie groups: the reusable core of the point metrics,
/// the weighted (bootstrap) metrics and the paired comparison.
/// </summary>
/// <remarks>
/// A tie group is a maximal run of equal scores (compared as given, so <c>-0.0 == 0.0</c> as in numpy).
/// For the bootstrap, only groups that hold at least one positive matter (average precision and AUROC change
/// only there), so <see cref="Layout"/> lists, for each such group k in descending score order: the negatives
/// between group k-1 and group k, the negatives inside group k, then the positives inside group k.
/// Negatives below the last positive group are left out: they only enter through the resample's total count.
/// </remarks>
internal sealed class TaskRanking
{
    private TaskRanking(int[] groupPositives, int[] groupNegatives, int[] layout, int[] layoutEnds, int positives, int negatives)
    {
        GroupPositives = groupPositives;
        GroupNegatives = groupNegatives;
        Layout = layout;
        LayoutEnds = layoutEnds;
        Positives = positives;
        Negatives = negatives;
    }

    /// <summary>Positives per tie group, in descending score order.</summary>
    public int[] GroupPositives { get; }

    /// <summary>Negatives per tie group, in descending score order.</summary>
    public int[] GroupNegatives { get; }

    /// <summary>Sample indices grouped for the bootstrap pass (see remarks of the type).</summary>
    public int[] Layout { get; }

    /// <summary>Three end offsets into <see cref="Layout"/> per positive group: negatives before, negatives in, positives in.</summary>
    public int[] LayoutEnds { get; }

    /// <summary>Number of positive samples.</summary>
    public int Positives { get; }

    /// <summary>Number of negative samples.</summary>
    public int Negatives { get; }

    /// <summary>Number of positive-containing tie groups.</summary>
    public int PositiveGroupCount => LayoutEnds.Length / 3;

    /// <summary>Sorts one task (LSD radix sort on the IEEE bits, O(n)) and builds its tie groups and layout.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static TaskRanking Build(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        int n = scores.Length;
        if (n > int.MaxValue / 2) throw new ArgumentException($"too many samples for one task: {n}");
        var keyPool = ArrayPool<ulong>.Shared.Rent(n);
        var orderPool = ArrayPool<int>.Shared.Rent(n);
        try
        {
            var keys = keyPool.AsSpan(0, n);
            var order = orderPool.AsSpan(0, n); // payload: sample index * 2 + label
            SortDescending(scores, labels, keys, order);

            // pass 1: count groups and positive groups
            int groups = 0, positiveGroups = 0, layoutLength = 0, positives = 0;
            for (int start = 0; start < n;)
            {
                int end = start + 1, pos = order[start] & 1;
                while (end < n && keys[end] == keys[start]) pos += order[end++] & 1;
                groups++;
                if (pos > 0)
                {
                    positiveGroups++;
                    layoutLength = end;
                    positives += pos;
                }
                start = end;
            }

            // pass 2: fill
            var gp = new int[groups];
            var gn = new int[groups];
            var layout = new int[layoutLength];
            var ends = new int[3 * positiveGroups];
            int g = 0, e = 0, written = 0, pending = 0;
            for (int start = 0; start < n;)
            {
                int end = start + 1, pos = order[start] & 1;
                while (end < n && keys[end] == keys[start]) pos += order[end++] & 1;
                gp[g] = pos;
                gn[g] = end - start - pos;
                g++;
                if (pos > 0)
                {
                    for (int i = pending; i < start; i++) layout[written++] = order[i] >> 1;
                    ends[e++] = written;
                    for (int i = start; i < end; i++) if ((order[i] & 1) == 0) layout[written++] = order[i] >> 1;
                    ends[e++] = written;
                    for (int i = start; i < end; i++) if ((order[i] & 1) != 0) layout[written++] = order[i] >> 1;
                    ends[e++] = written;
                    pending = end;
                }
                start = end;
            }
            return new TaskRanking(gp, gn, layout, ends, positives, n - positives);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(keyPool);
            ArrayPool<int>.Shared.Return(orderPool);
        }
    }

    /// <summary>
    /// Writes into <paramref name="order"/> the sample indices by descending score (as <c>index * 2 + label</c>), and into
    /// <paramref name="keys"/> their sort keys (equal keys ⇔ equal scores; −0.0 and +0.0 share a key). Stable LSD radix sort.
    /// </summary>
    /// <remarks>
    /// Only the bits in which the keys differ are sorted: they are packed with the payload into one word and sorted
    /// with digits of up to 12 bits. When they do not fit (never for widened float32 scores, whose low 29 mantissa bits are zero;
    /// often for float64), the leading bits are sorted and runs with equal leading bits are then sorted by full key.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void SortDescending(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, Span<ulong> keys, Span<int> order)
    {
        int n = scores.Length;
        if (n == 0) return;
        ulong diff = 0, first = Key(scores[0]);
        for (int i = 0; i < n; i++)
        {
            ulong key = Key(scores[i]);
            keys[i] = key;
            diff |= key ^ first;
        }
        int payloadBits = 64 - BitOperations.LeadingZeroCount((ulong)(2L * n - 1));
        int lo = diff == 0 ? 0 : BitOperations.TrailingZeroCount(diff);
        int width = diff == 0 ? 0 : 64 - BitOperations.LeadingZeroCount(diff) - lo;
        if (width + payloadBits <= 64)
        {
            SortPacked(labels, keys, order, lo, width, payloadBits);
            return;
        }
        // Too wide (e.g. full float64 mantissas): sort on the leading 64 − payloadBits varying bits, then order the
        // rare runs whose truncated keys collide by their full keys.
        var fullPool = ArrayPool<ulong>.Shared.Rent(n);
        try
        {
            var full = fullPool.AsSpan(0, n);
            keys.CopyTo(full);
            int drop = width + payloadBits - 64;
            SortPacked(labels, keys, order, lo + drop, width - drop, payloadBits);
            for (int start = 0; start < n;)
            {
                int end = start + 1;
                while (end < n && keys[end] == keys[start]) end++;
                if (end - start > 1)
                {
                    var runKeys = keys[start..end];
                    var runOrder = order[start..end];
                    for (int i = 0; i < runKeys.Length; i++) runKeys[i] = full[runOrder[i] >> 1];
                    runKeys.Sort(runOrder);
                }
                else
                {
                    keys[start] = full[order[start] >> 1];
                }
                start = end;
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(fullPool);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Key(double score)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(score + 0.0); // -0.0 + 0.0 == +0.0
        // ascending-sortable: 2^63 ± magnitude (two's complement keeps the zero low bits of widened float32
        // scores zero, so those bits are skipped); then inverted for descending
        ulong magnitude = bits & 0x7FFF_FFFF_FFFF_FFFFUL;
        ulong asc = (bits & 0x8000_0000_0000_0000UL) != 0 ? 0x8000_0000_0000_0000UL - magnitude : 0x8000_0000_0000_0000UL + magnitude;
        return ~asc;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SortPacked(ReadOnlySpan<bool> labels, Span<ulong> keys, Span<int> order, int lo, int width, int payloadBits)
    {
        // as few passes as possible with digits of at most 12 bits (a 16 KiB histogram per digit stays in L1)
        int n = keys.Length;
        int digits = (width + 11) / 12;
        int digitBits = digits == 0 ? 1 : (width + digits - 1) / digits;
        int buckets = 1 << digitBits;
        ulong digitMask = (ulong)(buckets - 1);
        ulong payloadMask = (1UL << payloadBits) - 1;
        var tmpPool = ArrayPool<ulong>.Shared.Rent(n);
        var histPool = ArrayPool<int>.Shared.Rent(Math.Max(1, digits) * buckets);
        try
        {
            var src = keys;
            var dst = tmpPool.AsSpan(0, n);
            var histogram = histPool.AsSpan(0, digits * buckets);
            histogram.Clear();
            for (int i = 0; i < n; i++)
            {
                ulong packed = ((keys[i] >> lo) << payloadBits) | (uint)(i * 2 + (labels[i] ? 1 : 0));
                src[i] = packed;
                for (int d = 0; d < digits; d++) histogram[d * buckets + (int)((packed >> (payloadBits + d * digitBits)) & digitMask)]++;
            }
            for (int d = 0; d < digits; d++)
            {
                var h = histogram.Slice(d * buckets, buckets);
                int shift = payloadBits + d * digitBits;
                if (h[(int)((src[0] >> shift) & digitMask)] == n) continue;
                int sum = 0;
                for (int b = 0; b < buckets; b++)
                {
                    int c = h[b];
                    h[b] = sum;
                    sum += c;
                }
                for (int i = 0; i < n; i++)
                {
                    ulong v = src[i];
                    dst[h[(int)((v >> shift) & digitMask)]++] = v;
                }
                var t = src; src = dst; dst = t;
            }
            // unpack: keys keep only the score bits (equal ⇔ tied), order the payload
            for (int i = 0; i < n; i++)
            {
                ulong v = src[i];
                order[i] = (int)(v & payloadMask);
                keys[i] = v >> payloadBits;
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(tmpPool);
            ArrayPool<int>.Shared.Return(histPool);
        }
    }

    /// <summary>
    /// Average precision exactly as <c>sklearn.metrics.average_precision_score</c> (1.2): Σ (Rₖ − Rₖ₋₁)·Pₖ over
    /// tie groups in descending score order, with Rₖ = TPₖ/P and Pₖ = TPₖ/(TPₖ+FPₖ). Without positives sklearn
    /// sets recall to 1 everywhere and returns 0; so does this.
    /// </summary>
    public double AveragePrecision()
    {
        if (Positives == 0) return 0.0;
        double p = Positives, ap = 0.0, previousRecall = 0.0;
        long tp = 0, fp = 0;
        for (int k = 0; k < GroupPositives.Length; k++)
        {
            tp += GroupPositives[k];
            fp += GroupNegatives[k];
            if (GroupPositives[k] == 0) continue; // recall unchanged: the term is exactly 0
            double recall = tp / p;
            ap += (recall - previousRecall) * (tp / (double)(tp + fp));
            previousRecall = recall;
        }
        return ap;
    }

    /// <summary>
    /// Area under the ROC curve as <c>sklearn.metrics.roc_auc_score</c>: the Mann–Whitney statistic with ties
    /// counted as one half, computed from exact integer pair counts; null when only one class is present.
    /// </summary>
    public double? AreaUnderRoc()
    {
        if (Positives == 0 || Negatives == 0) return null;
        // twice the number of (negative ranked above positive) pairs, ties counting one (i.e. half a pair).
        double twiceDiscordant = 0, fpAfter = 0;
        for (int k = 0; k < GroupPositives.Length; k++)
        {
            fpAfter += GroupNegatives[k];
            if (GroupPositives[k] != 0)
                twiceDiscordant += GroupPositives[k] * (2 * fpAfter - GroupNegatives[k]);
        }
        double twicePairs = 2.0 * Positives * Negatives;
        return (twicePairs - twiceDiscordant) / twicePairs;
    }
}
