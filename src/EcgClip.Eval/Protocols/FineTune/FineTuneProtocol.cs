using EcgClip.Core.Abstractions;
using EcgClip.Eval.Metrics;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// Data efficiency with fine-tuning: for each label fraction and seed, a label-stratified subsample of the training
/// split (<see cref="StratifiedSubsampler"/>, as the linear probe), one <see cref="FineTuner"/> run from the same
/// initial weights, the test split scored once, its metrics with bootstrap intervals, then mean ± sd across seeds. The
/// result has the shape of the linear probe's, so the same reports, score files and plots apply
/// (<see cref="ProbeRun.StrengthName"/> "epoch": the early-stopping epoch).
/// </summary>
public sealed class FineTuneProtocol
{
    private readonly FineTuner _tuner = new();
    private readonly RankingEvaluator _ranking = new();

    /// <summary>Runs every fraction × seed (fraction 1 once, with the first seed).</summary>
    /// <exception cref="ArgumentException">Splits with the wrong tags or invalid options.</exception>
    public DataEfficiencyResult Run(string model, IEcgEncoder encoder, FineTuneSplit train, FineTuneSplit validation, FineTuneSplit test,
        DataEfficiencyOptions options, FineTuneOptions fineTune, IProgress<ProbeRun>? progress = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(fineTune);
        options.Validate();
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
                var result = _tuner.Run(encoder, subset, validation, test, fineTune with { Seed = fineTune.Seed + (long)seed });
                var scores = result.Test;
                RankingReport? ranking = null;
                RegressionReport? regression = null;
                if (scores.IsClassification) ranking = _ranking.Evaluate(scores.ToBinaryTaskData(), bootstrap);
                else regression = RegressionReport.Evaluate(scores, DataEfficiencyRunner.TrainingMeans(subset.Targets), bootstrap);
                var run = new ProbeRun(fraction, seed, subset.Rows, result.BestEpoch, "epoch", result.ValidationCurve, [], scores, ranking, regression);
                runs.Add(run);
                progress?.Report(run);
            }
            summaries.Add(DataEfficiencyRunner.Summarise(fraction, runs, train.Targets.Outputs));
        }
        return new DataEfficiencyResult(model, train.Targets.Kind, train.Targets.Names, summaries);
    }

}
