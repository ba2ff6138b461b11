using BenchmarkDotNet.Attributes;
using EcgClip.Eval.Metrics;

namespace EcgClip.Benchmarks.Metrics;

/// <summary>Point PRAUC + AUROC of one task (20,000 samples, float32-valued scores, 5% positives):
/// comparison sort baseline versus the radix-sorted <see cref="TaskRanking"/>.</summary>
[MemoryDiagnoser]
public class RankingBenchmarks
{
    private double[] _scores = [];
    private bool[] _labels = [];

    /// <summary>Builds the data, seeded.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _labels = Enumerable.Range(0, 20_000).Select(_ => rng.NextDouble() < 0.05).ToArray();
        _scores = _labels.Select(y => (double)(float)(rng.NextDouble() + (y ? 0.5 : 0))).ToArray();
    }

    /// <summary>Array.Sort on (score, label) then one pass over tie groups.</summary>
    [Benchmark(Baseline = true)]
    public double ComparisonSortScalar()
    {
        var keys = (double[])_scores.Clone();
        var labels = (bool[])_labels.Clone();
        Array.Sort(keys, labels);
        long p = labels.Count(l => l), n = labels.Length - p, tp = 0, fp = 0;
        double ap = 0, prevRecall = 0, twiceDiscordant = 0;
        for (int end = keys.Length; end > 0;)
        {
            int start = end - 1;
            while (start > 0 && keys[start - 1] == keys[end - 1]) start--;
            long gp = 0;
            for (int i = start; i < end; i++) gp += labels[i] ? 1 : 0;
            long gn = end - start - gp;
            tp += gp;
            fp += gn;
            if (gp > 0)
            {
                double recall = tp / (double)p;
                ap += (recall - prevRecall) * tp / (tp + fp);
                prevRecall = recall;
                twiceDiscordant += gp * (2.0 * fp - gn);
            }
            end = start;
        }
        return ap + (2.0 * p * n - twiceDiscordant) / (2.0 * p * n);
    }

    /// <summary>Radix sort on the IEEE bits, tie groups and bootstrap layout, then both metrics.</summary>
    [Benchmark]
    public double TaskRankingRadix()
    {
        var r = TaskRanking.Build(_scores, _labels);
        return r.AveragePrecision() + r.AreaUnderRoc()!.Value;
    }
}
