using EcgClip.Core.Abstractions;
using EcgClip.Eval.Metrics;
using EcgClip.Signal.Datasets;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// The data-efficiency protocol on cached embeddings: for each label fraction and seed, a label-stratified subsample of
/// the training split (<see cref="StratifiedSubsampler"/>), a linear probe chosen on the full validation split
/// (<see cref="LinearProbe"/>), one scoring of the test split, and its metrics with bootstrap intervals; then mean ± sd
/// across seeds.
/// </summary>
/// <remarks>
/// The test split is handed to <see cref="FittedLinearProbe.Score"/> only, after the fit; nothing it holds can reach
/// the subsample, the grid search or the fit. At fraction 1 the subsample is the whole split and the probe is
/// deterministic, so it is run once (with the first seed) instead of once per seed.
/// </remarks>
public sealed class DataEfficiencyRunner
{
    private readonly LinearProbe _probe = new();
    private readonly RankingEvaluator _ranking = new();

    /// <summary>Runs every fraction × seed for one model.</summary>
    /// <param name="model">Model name for reports.</param>
    /// <param name="train">The training split (tagged Train).</param>
    /// <param name="validation">The validation split (tagged Validation), used whole for every fit.</param>
    /// <param name="test">The test split (tagged Test), scored once per run.</param>
    /// <param name="options">Fractions, seeds, probe and bootstrap settings.</param>
    /// <param name="progress">Optional progress sink, told after each run.</param>
    /// <exception cref="ArgumentException">Splits with the wrong tags or mismatched targets, or invalid options.</exception>
    public DataEfficiencyResult Run(string model, ProbeSplit train, ProbeSplit validation, ProbeSplit test, DataEfficiencyOptions? options = null,
        IProgress<ProbeRun>? progress = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(test);
        options ??= new DataEfficiencyOptions();
        options.Validate();
        if (test.Split != DatasetSplit.Test) throw new ArgumentException($"the test split must be tagged Test, got {test.Split}", nameof(test));
        var bootstrap = options.Bootstrap with { PatientIds = test.PatientIds };
        bootstrap.Validate(test.Rows);

        var summaries = new List<FractionSummary>();
        foreach (double fraction in options.Fractions.Order())
        {
            var runs = new List<ProbeRun>();
            foreach (ulong seed in fraction == 1 ? options.Seeds.Take(1) : options.Seeds)
            {
                var rows = StratifiedSubsampler.Sample(train.Targets, fraction, seed);
                var subset = rows.Length == train.Rows ? train : train.SelectRows(rows);
                var fitted = _probe.Fit(subset, validation, options.Probe);
                var scores = fitted.Score(test);
                RankingReport? ranking = null;
                RegressionReport? regression = null;
                if (scores.IsClassification) ranking = _ranking.Evaluate(scores.ToBinaryTaskData(), bootstrap);
                else regression = RegressionReport.Evaluate(scores, TrainingMeans(subset.Targets), bootstrap);
                var run = new ProbeRun(fraction, seed, subset.Rows, fitted.SelectedStrength, fitted.StrengthName, fitted.ValidationCurve,
                    fitted.ConstantOutputs, scores, ranking, regression);
                runs.Add(run);
                progress?.Report(run);
            }
            summaries.Add(Summarise(fraction, runs, train.Targets.Outputs));
        }
        return new DataEfficiencyResult(model, train.Targets.Kind, train.Targets.Names, summaries);
    }

    /// <summary>Per output, the mean target of the training rows (the predict-the-mean baseline; shared with fine-tuning).</summary>
    internal static double[] TrainingMeans(ProbeTargets targets)
    {
        var means = new double[targets.Outputs];
        for (int t = 0; t < means.Length; t++)
        {
            double sum = 0;
            for (int i = 0; i < targets.Rows; i++) sum += targets[i, t];
            means[t] = sum / targets.Rows;
        }
        return means;
    }

    /// <summary>Mean ± sd across seeds of one fraction's runs (shared with fine-tuning).</summary>
    internal static FractionSummary Summarise(double fraction, List<ProbeRun> runs, int outputs)
    {
        if (runs[0].Ranking is not null)
        {
            var perTask = Enumerable.Range(0, outputs).Select(t => SeedSummary.Of(runs.Select(r =>
            {
                var m = r.Ranking!.Tasks[t].Metrics;
                return m.HasPositives ? (double?)m.AveragePrecision : null;
            }))).ToArray();
            return new FractionSummary(fraction, runs,
                SeedSummary.Of(runs.Select(r => r.Ranking!.MacroAveragePrecision.Metric.Value)),
                SeedSummary.Of(runs.Select(r => r.Ranking!.MacroAreaUnderRoc.Metric.Value)),
                perTask, []);
        }
        var mae = Enumerable.Range(0, outputs).Select(t => SeedSummary.Of(runs.Select(r => (double?)r.Regression!.Targets[t].Metrics.MeanAbsoluteError))).ToArray();
        return new FractionSummary(fraction, runs, null, null, [], mae);
    }
}
