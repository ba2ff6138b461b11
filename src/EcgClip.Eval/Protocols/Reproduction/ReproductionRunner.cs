using System.Diagnostics;
using EcgClip.Core.Models;
using EcgClip.Core.Training;
using EcgClip.Eval.Bootstrap;
using EcgClip.Eval.Reporting;
using EcgClip.Signal.Datasets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// The one-command reproduction (<c>ecgclip reproduce</c>): pretrains ECGCLIP (<c>clip</c>) and the MERL-objective
/// baseline (<c>merl</c>) with the same backbone, data, steps and seed (each resumable in
/// <c>&lt;out&gt;/pretrain-&lt;objective&gt;/</c>), linear-probes both and random initialisation on each task set at each
/// label fraction with the same splits and seeds (<see cref="EvaluationRunner.RunLinearProbe"/>, one folder per task
/// set), and writes report.md with the verdict sentences beside results.json / results.csv / results.md.
/// </summary>
/// <remarks>The caller sets libtorch's thread count (e.g. <c>TorchRuntime.EnsureThreads</c>). The model factory is
/// resolved on first use: it needs <c>AddEcgClipText</c>.</remarks>
public sealed class ReproductionRunner(IServiceProvider services, EvaluationRunner evaluation, IEvaluationModelSource models,
    ModelComparer comparer, ILogger<ReproductionRunner>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<ReproductionRunner>.Instance;

    /// <summary>Runs the reproduction and writes its files under <see cref="ReproductionOptions.OutputDirectory"/>.</summary>
    /// <exception cref="ArgumentException">Invalid options or data (named).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; a rerun continues the interrupted pretraining.</exception>
    public ReproductionResult Run(ReproductionOptions options, IProgress<ReproductionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var watch = Stopwatch.StartNew();
        Directory.CreateDirectory(options.OutputDirectory);
        var pretraining = new ReproductionPretraining(services.GetRequiredService<IEcgClipModelFactory>(), services.GetRequiredService<Trainer>(), _logger);
        var pretrainings = new List<PretrainingOutcome>
        {
            pretraining.Run("clip", ReproductionModels.EcgClip, options, progress, cancellationToken),
            pretraining.Run("merl", ReproductionModels.Merl, options, progress, cancellationToken),
        };
        cancellationToken.ThrowIfCancellationRequested();

        var loaded = new List<EvaluationModel>();
        try
        {
            foreach (var p in pretrainings) loaded.Add(Rename(models.Load(new EvaluationModelRequest(p.Checkpoint)), p.Model));
            loaded.Add(Rename(models.Load(new EvaluationModelRequest("none", options.Backbone, options.Seed)), ReproductionModels.Random));
            var rows = new List<ReproductionRow>();
            var comparisons = new List<ReproductionComparison>();
            var folders = new List<string>();
            var plots = new List<string>();
            foreach (var task in options.Tasks)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var dataset = EcgDatasetSource.Open(options.Data, new EcgDatasetSourceOptions { LabelSet = EvaluationTasks.LabelSetFor(task) });
                string folder = Path.Combine(options.OutputDirectory, task);
                var inner = progress is null ? null : new Sink<EvaluationProgress>(p => progress.Report(new ReproductionProgress($"{task}: {p.Stage}", p.Done, p.Total)));
                var result = evaluation.RunLinearProbe(dataset, loaded, EvaluationOptionsFor(task, options), folder, inner);
                var report = result.Report ?? throw new InvalidOperationException($"the {task} linear probe produced no report");
                rows.AddRange(Rows(task, report));
                comparisons.AddRange(ReproductionVerdicts.Group(task, AllComparisons(report), options.Fractions));
                folders.Add(folder);
                plots.AddRange(result.Plots);
            }
            var files = new ReproductionReportWriter().Write(options.OutputDirectory, options, pretrainings, rows, comparisons, folders, plots, watch.Elapsed.TotalSeconds);
            _logger.LogInformation("reproduction finished in {Seconds:F0} s; report {Report}", watch.Elapsed.TotalSeconds, files.Report);
            return new ReproductionResult(options, pretrainings, rows, comparisons, files, watch.Elapsed.TotalSeconds);
        }
        finally
        {
            foreach (var m in loaded) m.Dispose();
        }
    }

    /// <summary>The linear-probe settings of one task set.</summary>
    public static EvaluationOptions EvaluationOptionsFor(string task, ReproductionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new EvaluationOptions
        {
            Protocol = EvaluationProtocol.LinearProbe,
            Task = task,
            MaxItemsPerSplit = options.Limit,
            Embedding = new EmbeddingOptions(64, 10, options.Threads),
            DataEfficiency = new DataEfficiencyOptions
            {
                Fractions = options.Fractions,
                Seeds = Enumerable.Range(0, options.Seeds).Select(s => (ulong)s).ToArray(),
                Probe = new LinearProbeOptions { MaxDegreeOfParallelism = options.Threads },
                Bootstrap = new BootstrapOptions(options.Bootstrap, 0, options.Threads),
            },
        };
    }

    private List<RunComparison> AllComparisons(EvaluationReport report)
    {
        var all = report.Comparisons.ToList();
        var merl = report.Models.FirstOrDefault(m => m.Model == ReproductionModels.Merl);
        var random = report.Models.FirstOrDefault(m => m.Model == ReproductionModels.Random);
        if (merl is not null && random is not null) all.AddRange(comparer.CompareMatching(merl, random, report.Bootstrap));
        return all;
    }

    private static IEnumerable<ReproductionRow> Rows(string task, EvaluationReport report)
    {
        foreach (var m in report.Models)
            foreach (var f in m.Fractions)
            {
                var run = f.Runs[0];
                var rank = run.Ranking;
                var target = run.Regression?.Targets.FirstOrDefault();
                yield return new ReproductionRow(task, m.Model, f.Fraction, f.Runs.Count,
                    rank?.MacroAveragePrecision.Metric.Value, Pair(rank?.MacroAveragePrecision.Interval), rank?.MacroAreaUnderRoc.Metric.Value,
                    Finite(f.MacroAveragePrecision?.Mean), Finite(f.MacroAveragePrecision?.StandardDeviation),
                    target?.Metrics.MeanAbsoluteError, Pair(target?.MeanAbsoluteErrorInterval), target?.Baseline.MeanAbsoluteError,
                    Finite(f.MeanAbsoluteError.FirstOrDefault()?.Mean), Finite(f.MeanAbsoluteError.FirstOrDefault()?.StandardDeviation));
            }
    }

    private static EvaluationModel Rename(EvaluationModel model, string name) =>
        new(name, model.Encoder, model.Preprocessing, model.Text, model.CacheKey, owner: model);

    private static ConfidenceIntervalPair? Pair(ConfidenceInterval? ci) => ci is { } c ? new ConfidenceIntervalPair(c.Lower, c.Upper) : null;

    private static double? Finite(double? v) => v is { } d && double.IsFinite(d) ? d : null;

    private sealed class Sink<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}
