using EcgClip.Eval.Plots;
using EcgClip.Eval.Protocols;

namespace EcgClip.Eval.Reporting;

/// <summary>
/// The linear-probe evaluation of several models on one task set, end to end on cached embeddings: the
/// data-efficiency protocol per model, paired comparisons of the first (reference) model with every other one — at
/// each matching fraction and seed, and, at each smaller fraction, against the other model at the largest fraction
/// (e.g. ECGCLIP at 10% vs random initialisation at 100%) — then results files, score files and plots.
/// </summary>
public sealed class LinearProbeEvaluation
{
    private readonly DataEfficiencyRunner _runner = new();
    private readonly ModelComparer _comparer = new();
    private readonly ResultsWriter _writer = new();

    /// <summary>Runs and writes everything under <paramref name="outputDirectory"/>.</summary>
    /// <param name="taskSet">Task set name for the reports (e.g. "superdiagnostic").</param>
    /// <param name="models">Models; the first is the reference of the comparisons.</param>
    /// <param name="outputDirectory">Folder for results.json/csv/md, the per-run folders and the PNGs.</param>
    /// <param name="options">Fractions, seeds, probe and bootstrap settings.</param>
    /// <param name="progress">Optional sink told after each run.</param>
    /// <exception cref="ArgumentException">No model, repeated model names, or models scored on different test rows.</exception>
    public LinearProbeEvaluationResult Run(string taskSet, IReadOnlyList<ModelEmbeddings> models, string outputDirectory,
        DataEfficiencyOptions? options = null, IProgress<ProbeRunProgress>? progress = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskSet);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(outputDirectory);
        if (models.Count == 0) throw new ArgumentException("need at least one model");
        if (models.Select(m => m.Model).Distinct(StringComparer.Ordinal).Count() != models.Count) throw new ArgumentException("model names repeat");
        options ??= new DataEfficiencyOptions();

        var results = new List<DataEfficiencyResult>();
        foreach (var m in models)
        {
            var sink = progress is null ? null : new Progress(m.Model, progress);
            results.Add(_runner.Run(m.Model, m.Train, m.Validation, m.Test, options, sink));
        }
        var comparisons = new List<RunComparison>();
        var reference = results[0];
        foreach (var other in results.Skip(1))
        {
            comparisons.AddRange(_comparer.CompareMatching(reference, other, options.Bootstrap));
            var otherFull = other.Fractions[^1].Runs[0];
            foreach (var f in reference.Fractions.Take(reference.Fractions.Count - 1))
                foreach (var run in f.Runs)
                    comparisons.Add(_comparer.Compare(reference.Model, run, other.Model, otherFull, options.Bootstrap));
        }
        var report = new EvaluationReport(taskSet, "linear-probe", results, comparisons, options.Bootstrap);
        var files = _writer.Write(outputDirectory, report);
        var plots = new List<string>();
        if (reference.Kind != Core.Abstractions.TaskKind.Regression)
        {
            string efficiency = Path.Combine(outputDirectory, "data_efficiency.png");
            DataEfficiencyPlot.Save(efficiency, results, $"{taskSet}: linear probe, macro PRAUC vs labels");
            plots.Add(efficiency);
            foreach (var r in results)
            {
                var run = r.Fractions[^1].Runs[0];
                string path = Path.Combine(outputDirectory, $"pr_curves_{EvaluationReport.RunFolder(r.Model, run).Split('/')[0]}.png");
                PrecisionRecallPlot.Save(path, run.Test.ToBinaryTaskData(), $"{taskSet}: {r.Model}, {Format.Percent(run.Fraction)} of the labels (test)");
                plots.Add(path);
            }
        }
        return new LinearProbeEvaluationResult(report, files, plots);
    }

    private sealed class Progress(string model, IProgress<ProbeRunProgress> inner) : IProgress<ProbeRun>
    {
        public void Report(ProbeRun value) => inner.Report(new ProbeRunProgress(model, value));
    }
}
