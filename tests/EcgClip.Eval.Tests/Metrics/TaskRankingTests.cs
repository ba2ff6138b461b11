using EcgClip.Eval.Metrics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcgClip.Eval.Tests.Metrics;

public sealed class TaskRankingTests
{
    [Property(MaxTest = 300)]
    public Property SortDescending_AnyScores_NonIncreasingAndTiesExact(double[] raw, bool asFloat32)
    {
        raw ??= [];
        var scores = raw.Where(double.IsFinite).Select(x => asFloat32 ? (float)x : x).ToArray();
        if (scores.Length == 0) return true.ToProperty();
        var labels = scores.Select(x => x > 0).ToArray();
        var keys = new ulong[scores.Length];
        var order = new int[scores.Length];
        TaskRanking.SortDescending(scores, labels, keys, order);
        bool ok = order.Select(o => o >> 1).OrderBy(i => i).SequenceEqual(Enumerable.Range(0, scores.Length));
        for (int i = 0; i < scores.Length; i++)
        {
            ok &= (order[i] & 1) == (labels[order[i] >> 1] ? 1 : 0);
            if (i == 0) continue;
            double prev = scores[order[i - 1] >> 1], cur = scores[order[i] >> 1];
            ok &= prev >= cur;
            ok &= (keys[i - 1] == keys[i]) == (prev == cur);
        }
        return ok.ToProperty();
    }

    [Fact]
    public void SortDescending_WideKeysDifferingInLastBit_OrderedAndNotTied()
    {
        // full-range float64 keys do not fit beside the payload: the lowest bits are resolved after the radix pass
        double one = 1.0, next = Math.BitIncrement(1.0), next2 = Math.BitIncrement(next);
        double[] s = [next, 1e300, one, -1e-300, next2, one, -7.5, next];
        var keys = new ulong[s.Length];
        var order = new int[s.Length];
        TaskRanking.SortDescending(s, new bool[s.Length], keys, order);
        Assert.Equal(s.OrderByDescending(x => x).ToArray(), order.Select(o => s[o >> 1]).ToArray());
        for (int i = 1; i < s.Length; i++)
            Assert.Equal(s[order[i] >> 1] == s[order[i - 1] >> 1], keys[i] == keys[i - 1]);
        Assert.Equal(1.0, RankingMetrics.AveragePrecision([one, next, one, 1e300], [false, true, false, true])); // merged: 2/3·… < 1
        Assert.Equal(1.0, RankingMetrics.AreaUnderRoc([one, next, one, 1e300], [false, true, false, true]));
    }

    [Fact]
    public void SortDescending_MixedSignsAndZeros_Ordered()
    {
        double[] s = [0.0, -0.0, -1.5, 2.0, double.Epsilon, -double.Epsilon, 1e300, -1e300, 2.0];
        var keys = new ulong[s.Length];
        var order = new int[s.Length];
        TaskRanking.SortDescending(s, new bool[s.Length], keys, order);
        var sorted = order.Select(o => s[o >> 1]).ToArray();
        Assert.Equal(s.OrderByDescending(x => x).ToArray(), sorted);
        Assert.Equal(keys[5], keys[4]); // 0.0 and -0.0 tie
    }
}
