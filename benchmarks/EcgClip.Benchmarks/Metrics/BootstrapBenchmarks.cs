using BenchmarkDotNet.Attributes;
using EcgClip.Eval.Bootstrap;
using EcgClip.Eval.Metrics;

namespace EcgClip.Benchmarks.Metrics;

/// <summary>
/// Bootstrap of PRAUC + AUROC for 10 tasks × 2,000 samples × 64 resamples: sort-per-resample baseline (what a loop
/// over sklearn does) versus the shared-count kernel (<see cref="BootstrapEngine"/>), single-threaded.
/// </summary>
[MemoryDiagnoser]
public class BootstrapBenchmarks
{
    private const int Samples = 2_000, Tasks = 10, Resamples = 64;
    private double[][] _scores = [];
    private bool[][] _labels = [];
    private TaskRanking[] _rankings = [];

    /// <summary>Builds the data and the rankings, seeded.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(2);
        _labels = new bool[Tasks][];
        _scores = new double[Tasks][];
        for (int t = 0; t < Tasks; t++)
        {
            double prevalence = 0.005 + 0.05 * t;
            _labels[t] = Enumerable.Range(0, Samples).Select(_ => rng.NextDouble() < prevalence).ToArray();
            _labels[t][t] = true;
            _scores[t] = _labels[t].Select(y => Math.Round(rng.NextDouble() + (y ? 0.4 : 0), 3)).ToArray();
        }
        _rankings = Enumerable.Range(0, Tasks).Select(t => TaskRanking.Build(_scores[t], _labels[t])).ToArray();
    }

    /// <summary>Per resample and task: materialise the resample, sort it, compute both metrics.</summary>
    [Benchmark(Baseline = true)]
    public double SortPerResample()
    {
        var rng = new Random(3);
        var idx = new int[Samples];
        var s = new double[Samples];
        var y = new bool[Samples];
        double sum = 0;
        for (int r = 0; r < Resamples; r++)
        {
            for (int i = 0; i < Samples; i++) idx[i] = rng.Next(Samples);
            for (int t = 0; t < Tasks; t++)
            {
                for (int i = 0; i < Samples; i++)
                {
                    s[i] = _scores[t][idx[i]];
                    y[i] = _labels[t][idx[i]];
                }
                var ranking = TaskRanking.Build(s, y);
                if (ranking.Positives > 0) sum += ranking.AveragePrecision() + (ranking.AreaUnderRoc() ?? 0);
            }
        }
        return sum;
    }

    /// <summary>One sort per task; each resample is a count vector shared by all tasks.</summary>
    [Benchmark]
    public double SharedCounts()
    {
        var draws = BootstrapEngine.Run([_rankings], ResampleScheme.Plain(Samples), Resamples, 3, 1);
        return draws.AveragePrecision[0][0][0];
    }
}
