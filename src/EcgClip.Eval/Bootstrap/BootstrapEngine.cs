using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EcgClip.Eval.Metrics;

namespace EcgClip.Eval.Bootstrap;

/// <summary>Per-resample metric values of every model and task; NaN where the resample left the metric undefined.</summary>
/// <param name="AveragePrecision">[model][task][resample] average precision (NaN: no positive drawn).</param>
/// <param name="AreaUnderRoc">[model][task][resample] AUROC (NaN: a single class drawn).</param>
internal sealed record BootstrapDraws(double[][][] AveragePrecision, double[][][] AreaUnderRoc);

/// <summary>
/// The bootstrap kernel. Every task is sorted once (<see cref="TaskRanking"/>); a resample is a vector of draw counts
/// over the original samples, shared by all tasks and models, and the metrics of a resample are the count-weighted
/// metrics, which equal the metrics on the resampled data (duplicates of a sample tie with each other).
/// </summary>
/// <remarks>
/// Eight (or sixteen, with AVX-512) resamples are processed together: their counts are interleaved
/// (<c>counts[sample * lanes + lane]</c>), so one vector load per sample feeds a whole block of resamples, and one linear pass over a task's <see cref="TaskRanking.Layout"/>
/// accumulates weighted true/false positives per positive tie group. Work is spread over blocks of resamples (or
/// over tasks when there are few blocks); each resample has its own random stream, so results do not depend on the
/// thread count. Per block the only allocation is the thread's count buffer, reused.
/// </remarks>
internal static class BootstrapEngine
{
    /// <summary>Resamples per block: 16 where 512-bit vectors are accelerated, else 8.</summary>
    public static readonly int DefaultLanes = Vector512.IsHardwareAccelerated ? 16 : 8;

    /// <summary>Runs <paramref name="resamples"/> resamples over every task of every model.</summary>
    public static BootstrapDraws Run(IReadOnlyList<TaskRanking[]> models, ResampleScheme scheme, int resamples, ulong seed, int maxThreads, int lanes = 0)
    {
        lanes = CheckLanes(lanes);
        int m = models.Count, tasks = models[0].Length;
        var ap = new double[m][][];
        var auc = new double[m][][];
        for (int k = 0; k < m; k++)
        {
            ap[k] = new double[tasks][];
            auc[k] = new double[tasks][];
            for (int t = 0; t < tasks; t++)
            {
                ap[k][t] = new double[resamples];
                auc[k][t] = new double[resamples];
            }
        }
        var draws = new BootstrapDraws(ap, auc);
        if (resamples == 0) return draws;

        int blocks = (resamples + lanes - 1) / lanes;
        int threads = maxThreads <= 0 ? Environment.ProcessorCount : maxThreads;
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        int n = scheme.SampleCount;
        if (threads == 1)
        {
            var counts = new int[n * lanes];
            for (int b = 0; b < blocks; b++)
            {
                var totals = FillBlock(counts, scheme, seed, b, resamples, lanes);
                for (int k = 0; k < m; k++)
                    for (int t = 0; t < tasks; t++)
                        ProcessTask(models[k][t], counts, totals, b, resamples, ap[k][t], auc[k][t]);
            }
        }
        else if (blocks >= 2 * threads)
        {
            Parallel.For(0, blocks, options, () => new int[n * lanes], (b, _, counts) =>
            {
                var totals = FillBlock(counts, scheme, seed, b, resamples, lanes);
                for (int k = 0; k < m; k++)
                    for (int t = 0; t < tasks; t++)
                        ProcessTask(models[k][t], counts, totals, b, resamples, ap[k][t], auc[k][t]);
                return counts;
            }, _ => { });
        }
        else
        {
            var counts = new int[n * lanes];
            for (int b = 0; b < blocks; b++)
            {
                var totals = FillBlock(counts, scheme, seed, b, resamples, lanes);
                Parallel.For(0, m * tasks, options, kt =>
                {
                    int k = kt / tasks, t = kt % tasks;
                    ProcessTask(models[k][t], counts, totals, b, resamples, ap[k][t], auc[k][t]);
                });
            }
        }
        return draws;
    }

    private static int CheckLanes(int lanes) => lanes switch
    {
        0 => DefaultLanes,
        8 or 16 => lanes,
        _ => throw new ArgumentOutOfRangeException(nameof(lanes), lanes, "lanes must be 8 or 16"),
    };

    /// <summary>Count-weighted average precision and AUROC of one task for one vector of counts (NaN when undefined);
    /// the kernel on a single lane, for tests and checks.</summary>
    internal static (double AveragePrecision, double AreaUnderRoc) Weighted(TaskRanking task, ReadOnlySpan<int> counts, int lanes = 0)
    {
        lanes = CheckLanes(lanes);
        var block = new int[counts.Length * lanes];
        int total = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            block[i * lanes] = counts[i];
            total += counts[i];
        }
        var totals = new int[lanes];
        totals[0] = total;
        var ap = new double[1];
        var auc = new double[1];
        ProcessTask(task, block, totals, 0, 1, ap, auc);
        return (ap[0], auc[0]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] FillBlock(int[] counts, ResampleScheme scheme, ulong seed, int block, int resamples, int lanes)
    {
        Array.Clear(counts);
        var totals = new int[lanes];
        for (int lane = 0; lane < lanes; lane++)
        {
            int r = block * lanes + lane;
            if (r < resamples) totals[lane] = scheme.Fill(counts, lanes, lane, seed, r);
        }
        return totals;
    }

    private static void ProcessTask(TaskRanking task, int[] counts, int[] totals, int block, int resamples, double[] apOut, double[] aucOut)
    {
        if (totals.Length == 16) ProcessTask16(task, counts, totals, block, resamples, apOut, aucOut);
        else ProcessTask8(task, counts, totals, block, resamples, apOut, aucOut);
    }

    /// <summary>Writes the per-lane results of a block; <paramref name="apSum"/> is Σ ΔTP·TP/(TP+FP) and
    /// <paramref name="twiceDiscordant"/> twice the discordant pairs (ties once).</summary>
    private static void Finish(ReadOnlySpan<int> tp, ReadOnlySpan<double> apSum, ReadOnlySpan<double> twiceDiscordant, int[] totals,
        int block, int resamples, double[] apOut, double[] aucOut)
    {
        int lanes = tp.Length;
        for (int lane = 0; lane < lanes; lane++)
        {
            int r = block * lanes + lane;
            if (r >= resamples) break;
            double p = tp[lane];
            double neg = totals[lane] - p;
            apOut[r] = p > 0 ? apSum[lane] / p : double.NaN;
            double twicePairs = 2.0 * p * neg;
            aucOut[r] = p > 0 && neg > 0 ? (twicePairs - twiceDiscordant[lane]) / twicePairs : double.NaN;
        }
    }

    /// <summary>Weighted average precision and AUROC of one task for the eight resamples of a block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ProcessTask8(TaskRanking task, int[] countsArray, int[] totals, int block, int resamples,
        double[] apOut, double[] aucOut)
    {
        var fpCum = Vector256<int>.Zero;
        var tpCum = Vector256<int>.Zero;
        Vector256<double> apLo = default, apHi = default, disLo = default, disHi = default;
        int[] ends = task.LayoutEnds;
        fixed (int* counts = countsArray)
        fixed (int* layout = task.Layout)
        {
            int pos = 0;
            for (int g = 0; g < ends.Length; g += 3)
            {
                fpCum += Sum(counts, layout, pos, ends[g]);
                var fpg = Sum(counts, layout, ends[g], ends[g + 1]);
                var tpg = Sum(counts, layout, ends[g + 1], ends[g + 2]);
                pos = ends[g + 2];
                var fpAfter = fpCum + fpg;
                tpCum += tpg;
                var total = Vector256.Max(tpCum + fpAfter, Vector256<int>.One);
                var (tpgLo, tpgHi) = ToDouble(tpg);
                var (tpLo, tpHi) = ToDouble(tpCum);
                var (totLo, totHi) = ToDouble(total);
                // AP·P = Σ ΔTP·TP/(TP+FP); where ΔTP = 0 the term is 0 (total ≥ 1 keeps it finite)
                apLo += tpgLo * tpLo / totLo;
                apHi += tpgHi * tpHi / totHi;
                // twice the discordant pairs: each positive of the group against negatives above (×2) and tied (×1)
                var (twLo, twHi) = ToDouble(fpAfter + fpAfter - fpg);
                disLo += tpgLo * twLo;
                disHi += tpgHi * twHi;
                fpCum = fpAfter;
            }
        }
        Span<int> tp = stackalloc int[8];
        Span<double> apS = stackalloc double[8];
        Span<double> dis = stackalloc double[8];
        tpCum.CopyTo(tp);
        apLo.CopyTo(apS);
        apHi.CopyTo(apS[4..]);
        disLo.CopyTo(dis);
        disHi.CopyTo(dis[4..]);
        Finish(tp, apS, dis, totals, block, resamples, apOut, aucOut);
    }

    /// <summary>The 16-lane (512-bit) variant of <see cref="ProcessTask8"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ProcessTask16(TaskRanking task, int[] countsArray, int[] totals, int block, int resamples,
        double[] apOut, double[] aucOut)
    {
        var fpCum = Vector512<int>.Zero;
        var tpCum = Vector512<int>.Zero;
        Vector512<double> apLo = default, apHi = default, disLo = default, disHi = default;
        int[] ends = task.LayoutEnds;
        fixed (int* counts = countsArray)
        fixed (int* layout = task.Layout)
        {
            int pos = 0;
            for (int g = 0; g < ends.Length; g += 3)
            {
                fpCum += Sum16(counts, layout, pos, ends[g]);
                var fpg = Sum16(counts, layout, ends[g], ends[g + 1]);
                var tpg = Sum16(counts, layout, ends[g + 1], ends[g + 2]);
                pos = ends[g + 2];
                var fpAfter = fpCum + fpg;
                tpCum += tpg;
                var total = Vector512.Max(tpCum + fpAfter, Vector512<int>.One);
                var (tpgLo, tpgHi) = ToDouble(tpg);
                var (tpLo, tpHi) = ToDouble(tpCum);
                var (totLo, totHi) = ToDouble(total);
                apLo += tpgLo * tpLo / totLo;
                apHi += tpgHi * tpHi / totHi;
                var (twLo, twHi) = ToDouble(fpAfter + fpAfter - fpg);
                disLo += tpgLo * twLo;
                disHi += tpgHi * twHi;
                fpCum = fpAfter;
            }
        }
        Span<int> tp = stackalloc int[16];
        Span<double> apS = stackalloc double[16];
        Span<double> dis = stackalloc double[16];
        tpCum.CopyTo(tp);
        apLo.CopyTo(apS);
        apHi.CopyTo(apS[8..]);
        disLo.CopyTo(dis);
        disHi.CopyTo(dis[8..]);
        Finish(tp, apS, dis, totals, block, resamples, apOut, aucOut);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<int> Sum16(int* counts, int* layout, int from, int to)
    {
        var a0 = Vector512<int>.Zero;
        var a1 = Vector512<int>.Zero;
        var a2 = Vector512<int>.Zero;
        var a3 = Vector512<int>.Zero;
        int i = from;
        for (; i + 4 <= to; i += 4)
        {
            a0 += Vector512.Load(counts + (nint)layout[i] * 16);
            a1 += Vector512.Load(counts + (nint)layout[i + 1] * 16);
            a2 += Vector512.Load(counts + (nint)layout[i + 2] * 16);
            a3 += Vector512.Load(counts + (nint)layout[i + 3] * 16);
        }
        for (; i < to; i++) a0 += Vector512.Load(counts + (nint)layout[i] * 16);
        return (a0 + a1) + (a2 + a3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<double> Lo, Vector512<double> Hi) ToDouble(Vector512<int> v)
    {
        if (Avx512F.IsSupported) return (Avx512F.ConvertToVector512Double(v.GetLower()), Avx512F.ConvertToVector512Double(v.GetUpper()));
        return (Vector512.ConvertToDouble(Vector512.WidenLower(v)), Vector512.ConvertToDouble(Vector512.WidenUpper(v)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<int> Sum(int* counts, int* layout, int from, int to)
    {
        var a0 = Vector256<int>.Zero;
        var a1 = Vector256<int>.Zero;
        var a2 = Vector256<int>.Zero;
        var a3 = Vector256<int>.Zero;
        int i = from;
        for (; i + 4 <= to; i += 4)
        {
            a0 += Vector256.Load(counts + (nint)layout[i] * 8);
            a1 += Vector256.Load(counts + (nint)layout[i + 1] * 8);
            a2 += Vector256.Load(counts + (nint)layout[i + 2] * 8);
            a3 += Vector256.Load(counts + (nint)layout[i + 3] * 8);
        }
        for (; i < to; i++) a0 += Vector256.Load(counts + (nint)layout[i] * 8);
        return (a0 + a1) + (a2 + a3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> Lo, Vector256<double> Hi) ToDouble(Vector256<int> v)
    {
        if (Avx.IsSupported) return (Avx.ConvertToVector256Double(v.GetLower()), Avx.ConvertToVector256Double(v.GetUpper()));
        return (Vector256.ConvertToDouble(Vector256.WidenLower(v)), Vector256.ConvertToDouble(Vector256.WidenUpper(v)));
    }
}
