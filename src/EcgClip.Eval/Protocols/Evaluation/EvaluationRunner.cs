using System.Diagnostics;
using EcgClip.Core.Abstractions;
using EcgClip.Eval.Metrics;
using EcgClip.Eval.Reporting;
using EcgClip.Signal.Datasets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// Runs one evaluation protocol of one model on one dataset and task set, end to end: the dataset's train /
/// validation / test partitions (PTB-XL folds 1–8 / 9 / 10), frozen embeddings computed once per model through the
/// <see cref="EmbeddingCache"/>, the protocol, and the files under the output folder (results.json/csv/md, per-run
/// test_labels.npy / test_scores.npy / tasks.txt, PNG plots).
/// </summary>
/// <remarks>
/// Model selection never sees the test partition: the linear probe picks its L2 strength on validation
/// (<see cref="LinearProbe.Fit"/> refuses a test split), fine-tuning stops on the validation loss
/// (<see cref="FineTuner.Run"/> refuses a test split), zero-shot and retrieval select nothing. The test partition is
/// scored once per run.
/// </remarks>
public sealed partial class EvaluationRunner(EmbeddingCache cache, ILogger<EvaluationRunner>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<EvaluationRunner>.Instance;

    /// <summary>Runs <paramref name="options"/>.Protocol and writes its files under <paramref name="outputDirectory"/>.</summary>
    /// <exception cref="ArgumentException">Invalid options, an unknown task, or a partition without items.</exception>
    /// <exception cref="TextTowerRequiredException">Zero-shot or retrieval with a model that has no text tower.</exception>
    public EvaluationResult Run(IEcgTextDataset dataset, EvaluationModel model, EvaluationOptions options, string outputDirectory,
        IProgress<EvaluationProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        options.Validate();
        var task = EvaluationTasks.Resolve(options.Task, dataset);
        if (options.Protocol is EvaluationProtocol.ZeroShot or EvaluationProtocol.Retrieval && model.Text is null)
            throw new TextTowerRequiredException(options.Protocol, model.Name);
        if (options.Protocol == EvaluationProtocol.ZeroShot && task.Kind == TaskKind.Regression)
            throw new ArgumentException($"zero-shot scores classes; --task {task.Name} is a regression");
        var train = Items(dataset, DatasetSplit.Train, options.MaxItemsPerSplit);
        var val = Items(dataset, DatasetSplit.Validation, options.MaxItemsPerSplit);
        var test = Items(dataset, DatasetSplit.Test, options.MaxItemsPerSplit);
        LogStart(_logger, EvaluationProtocols.ToName(options.Protocol), task.Name, model.Name, dataset.Name, train.Count, val.Count, test.Count);
        var rows = (train.Count, val.Count, test.Count);
        var sw = Stopwatch.StartNew();
        return options.Protocol switch
        {
            EvaluationProtocol.LinearProbe => LinearProbe(dataset, [model], task, train, val, test, options, outputDirectory, progress, rows, sw),
            EvaluationProtocol.FineTune => FineTune(dataset, model, task, train, val, test, options, outputDirectory, progress, rows, sw),
            EvaluationProtocol.ZeroShot => ZeroShot(dataset, model, task, test, options, outputDirectory, progress, rows, sw),
            _ => Retrieval(dataset, model, task, test, options, outputDirectory, progress, rows, sw),
        };
    }

    /// <summary>
    /// The linear probe of several models on the same splits, task rows, fractions and seeds, with paired bootstrap
    /// comparisons of the first (reference) model against each other one (won / lost / indistinguishable), e.g.
    /// [ecgclip, merl, random]. Each model's embeddings come from the cache.
    /// </summary>
    /// <exception cref="ArgumentException">No model, repeated model names, invalid options or an unknown task.</exception>
    public EvaluationResult RunLinearProbe(IEcgTextDataset dataset, IReadOnlyList<EvaluationModel> models, EvaluationOptions options, string outputDirectory,
        IProgress<EvaluationProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        if (models.Count == 0) throw new ArgumentException("need at least one model");
        options.Validate();
        var task = EvaluationTasks.Resolve(options.Task, dataset);
        var train = Items(dataset, DatasetSplit.Train, options.MaxItemsPerSplit);
        var val = Items(dataset, DatasetSplit.Validation, options.MaxItemsPerSplit);
        var test = Items(dataset, DatasetSplit.Test, options.MaxItemsPerSplit);
        LogStart(_logger, "linear-probe", task.Name, string.Join(", ", models.Select(m => m.Name)), dataset.Name, train.Count, val.Count, test.Count);
        return LinearProbe(dataset, models, task, train, val, test, options, outputDirectory, progress, (train.Count, val.Count, test.Count), Stopwatch.StartNew());
    }

    private EvaluationResult LinearProbe(IEcgTextDataset dataset, IReadOnlyList<EvaluationModel> models, EvaluationTask task, IReadOnlyList<EcgTextItem> train,
        IReadOnlyList<EcgTextItem> val, IReadOnlyList<EcgTextItem> test, EvaluationOptions options, string outputDirectory,
        IProgress<EvaluationProgress>? progress, (int, int, int) rows, Stopwatch sw)
    {
        var embeddings = new List<ModelEmbeddings>();
        foreach (var model in models)
        {
            string prefix = models.Count == 1 ? "" : model.Name + ": ";
            var pTrain = task.Build(Embed(model, dataset, train, prefix + "embed train", options, progress), train, dataset.LabelSpace);
            var pVal = task.Build(Embed(model, dataset, val, prefix + "embed validation", options, progress), val, dataset.LabelSpace);
            var pTest = task.Build(Embed(model, dataset, test, prefix + "embed test", options, progress), test, dataset.LabelSpace);
            embeddings.Add(new ModelEmbeddings(model.Name, pTrain, pVal, pTest));
        }
        double embedSeconds = sw.Elapsed.TotalSeconds;
        int total = RunCount(options.DataEfficiency) * models.Count, done = 0;
        var sink = progress is null ? null : new ActionProgress<ProbeRunProgress>(_ => progress.Report(new EvaluationProgress("linear probe", ++done, total)));
        var result = new LinearProbeEvaluation().Run(task.Name, embeddings, outputDirectory, options.DataEfficiency, sink);
        string names = string.Join(", ", models.Select(m => m.Name));
        LogDone(_logger, "linear-probe", task.Name, names, sw.Elapsed.TotalSeconds);
        return new EvaluationResult(EvaluationProtocol.LinearProbe, task, names, result.Report, null, result.Files, result.Plots, rows, embedSeconds);
    }

    private EvaluationResult FineTune(IEcgTextDataset dataset, EvaluationModel model, EvaluationTask task, IReadOnlyList<EcgTextItem> train,
        IReadOnlyList<EcgTextItem> val, IReadOnlyList<EcgTextItem> test, EvaluationOptions options, string outputDirectory,
        IProgress<EvaluationProgress>? progress, (int, int, int) rows, Stopwatch sw)
    {
        var loader = new EcgInputLoader(dataset, model.Encoder.Leads, model.Encoder.SamplingRate, model.Preprocessing, options.Embedding.WindowSeconds, options.Embedding.Threads);
        FineTuneSplit Split(IReadOnlyList<EcgTextItem> items, string stage)
        {
            progress?.Report(new EvaluationProgress(stage, 0, items.Count));
            var probe = task.Build(IndexColumn(items.Count), items, dataset.LabelSpace); // row i's value = its item index
            var kept = Enumerable.Range(0, probe.Rows).Select(i => items[(int)probe.Embeddings.Row(i)[0]]).ToArray();
            var inputs = loader.Load(kept);
            progress?.Report(new EvaluationProgress(stage, items.Count, items.Count));
            return new FineTuneSplit(probe.Split, inputs, loader.Leads, loader.Samples, probe.Targets, probe.PatientIds);
        }
        var fTrain = Split(train, "read train");
        var fVal = Split(val, "read validation");
        var fTest = Split(test, "read test");
        double readSeconds = sw.Elapsed.TotalSeconds;
        int total = RunCount(options.DataEfficiency), done = 0;
        var sink = progress is null ? null : new ActionProgress<ProbeRun>(_ => progress.Report(new EvaluationProgress("fine-tune", ++done, total)));
        var result = new FineTuneProtocol().Run(model.Name, model.Encoder, fTrain, fVal, fTest, options.DataEfficiency, options.FineTune, sink);
        var report = new EvaluationReport(task.Name, "finetune", [result], [], options.DataEfficiency.Bootstrap);
        var (files, plots) = EvaluationOutputs.Write(outputDirectory, report);
        LogDone(_logger, "finetune", task.Name, model.Name, sw.Elapsed.TotalSeconds);
        return new EvaluationResult(EvaluationProtocol.FineTune, task, model.Name, report, null, files, plots, rows, readSeconds);
    }

    private EvaluationResult ZeroShot(IEcgTextDataset dataset, EvaluationModel model, EvaluationTask task, IReadOnlyList<EcgTextItem> test,
        EvaluationOptions options, string outputDirectory, IProgress<EvaluationProgress>? progress, (int, int, int) rows, Stopwatch sw)
    {
        var pTest = task.Build(Embed(model, dataset, test, "embed test", options, progress), test, dataset.LabelSpace);
        double embedSeconds = sw.Elapsed.TotalSeconds;
        var names = pTest.Targets.Names;
        var classes = names.Select(n => model.Text!.Embed(options.PromptsFor(n))).ToArray();
        var scores = ZeroShotClassifier.Score(pTest.Embeddings, ZeroShotClassifier.ClassEmbeddings(classes));
        var probeScores = new ProbeScores(pTest.Targets.Kind, names, pTest.Rows, pTest.Targets.Values.ToArray(), scores, pTest.PatientIds);
        var bootstrap = options.DataEfficiency.Bootstrap with { PatientIds = pTest.PatientIds };
        var ranking = new RankingEvaluator().Evaluate(probeScores.ToBinaryTaskData(), bootstrap);
        var run = new ProbeRun(1, 0, 0, 0, "none", [], [], probeScores, ranking, null);
        var perTask = ranking.Tasks.Select(t => SeedSummary.Of([t.Metrics.HasPositives ? t.Metrics.AveragePrecision : null])).ToArray();
        var summary = new FractionSummary(1, [run], SeedSummary.Of([ranking.MacroAveragePrecision.Metric.Value]),
            SeedSummary.Of([ranking.MacroAreaUnderRoc.Metric.Value]), perTask, []);
        var report = new EvaluationReport(task.Name, "zero-shot", [new DataEfficiencyResult(model.Name, pTest.Targets.Kind, names, [summary])], [], options.DataEfficiency.Bootstrap);
        var (files, plots) = EvaluationOutputs.Write(outputDirectory, report);
        return new EvaluationResult(EvaluationProtocol.ZeroShot, task, model.Name, report, null, files, plots, rows, embedSeconds);
    }

    private EvaluationResult Retrieval(IEcgTextDataset dataset, EvaluationModel model, EvaluationTask task, IReadOnlyList<EcgTextItem> test,
        EvaluationOptions options, string outputDirectory, IProgress<EvaluationProgress>? progress, (int, int, int) rows, Stopwatch sw)
    {
        var withReport = test.Where(i => !string.IsNullOrWhiteSpace(i.Report)).ToArray();
        if (withReport.Length == 0) throw new ArgumentException($"{dataset.Name}: no test item has a report; retrieval needs reports");
        var ecg = Embed(model, dataset, withReport, "embed test", options, progress);
        double embedSeconds = sw.Elapsed.TotalSeconds;
        var unique = UniqueTexts.Group(withReport.Select(i => i.Report).ToArray(), model.Text!.Normalize);
        var texts = model.Text.Embed(unique.Texts);
        var report = RetrievalMetrics.FromEmbeddings(ecg, texts, unique.TextOfEcg);
        var files = EvaluationOutputs.WriteRetrieval(outputDirectory, model.Name, task.Name, report);
        return new EvaluationResult(EvaluationProtocol.Retrieval, task, model.Name, null, report, files, [], rows, embedSeconds);
    }

    private FeatureMatrix Embed(EvaluationModel model, IEcgTextDataset dataset, IReadOnlyList<EcgTextItem> items, string stage,
        EvaluationOptions options, IProgress<EvaluationProgress>? progress)
    {
        var sink = progress is null ? null : new ActionProgress<int>(done => progress.Report(new EvaluationProgress(stage, done, items.Count)));
        progress?.Report(new EvaluationProgress(stage, 0, items.Count));
        var e = cache.GetOrCompute(model, dataset, items, options.Embedding, sink);
        progress?.Report(new EvaluationProgress(stage, items.Count, items.Count));
        return e;
    }

    private static IReadOnlyList<EcgTextItem> Items(IEcgTextDataset dataset, DatasetSplit split, int max)
    {
        var items = dataset.ItemsIn(split);
        if (items.Count == 0) throw new ArgumentException($"{dataset.Name} has no {DatasetSplits.ToName(split)} items");
        return max > 0 && items.Count > max ? items.Take(max).ToArray() : items;
    }

    private static FeatureMatrix IndexColumn(int n) => new(Enumerable.Range(0, n).Select(i => (float)i).ToArray(), n, 1);

    private static int RunCount(DataEfficiencyOptions o) => o.Fractions.Sum(f => f == 1 ? 1 : o.Seeds.Count);

    /// <summary>An <see cref="IProgress{T}"/> that calls back synchronously (no synchronisation context hop).</summary>
    private sealed class ActionProgress<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Evaluating {Protocol} on {Task} for {Model} ({Dataset}: {Train} train / {Validation} validation / {Test} test items)")]
    private static partial void LogStart(ILogger logger, string protocol, string task, string model, string dataset, int train, int validation, int test);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "{Protocol} on {Task} for {Model} finished in {Seconds:F1} s")]
    private static partial void LogDone(ILogger logger, string protocol, string task, string model, double seconds);
}
