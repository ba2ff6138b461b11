using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EcgClip.Cli.Infrastructure;
using EcgClip.Core.Hosting;
using EcgClip.Core.Native;
using EcgClip.Eval.Bootstrap;
using EcgClip.Eval.Metrics;
using EcgClip.Eval.Protocols;
using EcgClip.Signal.Datasets;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using TorchSharp;

namespace EcgClip.Cli.Commands;

/// <summary><c>ecgclip evaluate</c>: one evaluation protocol of one model on one task set, with reports, score files and plots.</summary>
internal sealed class EvaluateCommand : ICommandFactory
{
    public Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint folder, or 'none' for random initialisation of --backbone (seeded by --seed).", Required = true };
        var backbone = new Option<string>("--backbone") { Description = "Backbone for --checkpoint none: resnet18 (default) or resnet34.", DefaultValueFactory = _ => "resnet18" };
        var data = new Option<string>("--data") { Description = $"Data source: {EcgDatasetSource.Forms} (default embedded). PTB-XL splits: folds 1-8 train, 9 validation, 10 test.", DefaultValueFactory = _ => EcgDatasetSource.Embedded };
        var task = new Option<string>("--task") { Description = "superdiagnostic (default), subdiagnostic, form, rhythm, all, age (regression), sex (binary: female), or a label/target column of a manifest.", DefaultValueFactory = _ => "superdiagnostic" };
        var protocol = new Option<string>("--protocol") { Description = "linear-probe (default), finetune, zero-shot or retrieval.", DefaultValueFactory = _ => "linear-probe" };
        var fractions = new Option<string>("--fractions") { Description = "Label fractions of the training split, comma-separated, each in (0, 1] (default 0.01,0.1,1).", DefaultValueFactory = _ => "0.01,0.1,1" };
        var seeds = new Option<int>("--seeds") { Description = "Subsampling seeds 0..N-1 per fraction below 1 (default 3).", DefaultValueFactory = _ => 3 };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap resamples of the test metrics (0 = no CIs; default 1000).", DefaultValueFactory = _ => 1000 };
        var threads = new Option<int>("--threads") { Description = "Threads for libtorch, record reading, probes and bootstrap (default 2).", DefaultValueFactory = _ => 2 };
        var seed = new Option<long>("--seed") { Description = "Seed of the random initialisation and of fine-tuning (default 0).", DefaultValueFactory = _ => 0L };
        var limit = new Option<int>("--limit") { Description = "Use at most this many items per split (the first ones; 0 = all). For quick checks.", DefaultValueFactory = _ => 0 };
        var batchSize = new Option<int>("--batch-size") { Description = "Records per encoder forward pass (default 64).", DefaultValueFactory = _ => 64 };
        var epochs = new Option<int>("--epochs") { Description = "Fine-tuning: most epochs (default 5).", DefaultValueFactory = _ => 5 };
        var lr = new Option<double>("--lr") { Description = "Fine-tuning: AdamW learning rate (default 1e-3).", DefaultValueFactory = _ => 1e-3 };
        var baselines = new Option<string[]>("--baseline") { Description = "Linear probe only: also evaluate this model (a checkpoint folder, or 'none' = random initialisation of --backbone) on the same splits and seeds, with paired bootstrap comparisons against --checkpoint. Repeatable.", AllowMultipleArgumentsPerToken = false, DefaultValueFactory = _ => [] };
        var output = new Option<string>("--out") { Description = "Output folder for results.json/csv/md, score files and plots.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON line: per-task PRAUC/AUROC, macro PRAUC with CI (classification) or MAE with CI and the training-mean baseline (regression)." };
        var cmd = new Command("evaluate",
            "Evaluate an ECG encoder: linear probe (frozen, eval mode, L2 chosen on validation), fine-tuning (early stopping on\n" +
            "validation), zero-shot or retrieval; the test split is scored once per run. Writes results.json/csv/md, PNG plots and,\n" +
            "per fraction and seed, test_labels.npy / test_scores.npy / tasks.txt.\n" +
            "Example: ecgclip evaluate --checkpoint none --data ptbxl:data/ptbxl --task superdiagnostic --protocol linear-probe --fractions 1 --seeds 1 --out ev --json")
        {
            checkpoint, backbone, data, task, protocol, fractions, seeds, bootstrap, threads, seed, limit, batchSize, epochs, lr, baselines, output, json,
        };
        cmd.SetAction(pr => CommandRunner.Run(pr.GetValue(json), () =>
        {
            int nThreads = pr.GetValue(threads);
            if (nThreads < 1) throw new ArgumentException($"--threads must be at least 1, got {nThreads}");
            int nSeeds = pr.GetValue(seeds);
            if (nSeeds < 1) throw new ArgumentException($"--seeds must be at least 1, got {nSeeds}");
            int resamples = pr.GetValue(bootstrap);
            if (resamples < 0) throw new ArgumentException($"--bootstrap must be ≥ 0, got {resamples}");
            var options = new EvaluationOptions
            {
                Protocol = EvaluationProtocols.Parse(pr.GetValue(protocol)!),
                Task = pr.GetValue(task)!,
                MaxItemsPerSplit = pr.GetValue(limit),
                ClassPrompts = EcgClip.Eval.Training.ZeroShotPrompts.PtbXlSuperclasses,
                Embedding = new EmbeddingOptions(pr.GetValue(batchSize), 10, nThreads),
                FineTune = new FineTuneOptions { Epochs = pr.GetValue(epochs), LearningRate = pr.GetValue(lr), Seed = pr.GetValue(seed) },
                DataEfficiency = new DataEfficiencyOptions
                {
                    Fractions = ParseFractions(pr.GetValue(fractions)!),
                    Seeds = Enumerable.Range(0, nSeeds).Select(s => (ulong)s).ToArray(),
                    Probe = new LinearProbeOptions { MaxDegreeOfParallelism = nThreads },
                    Bootstrap = new BootstrapOptions(resamples, 0, nThreads),
                },
            };
            if (options.MaxItemsPerSplit < 0) throw new ArgumentException($"--limit must be ≥ 0, got {options.MaxItemsPerSplit}");
            if (options.Embedding.BatchSize < 1) throw new ArgumentException($"--batch-size must be at least 1, got {options.Embedding.BatchSize}");
            var extra = pr.GetValue(baselines) ?? [];
            if (extra.Length > 0 && options.Protocol != EvaluationProtocol.LinearProbe)
                throw new ArgumentException("--baseline is supported with --protocol linear-probe only");
            return Run(pr.GetValue(checkpoint)!, extra, pr.GetValue(backbone)!, pr.GetValue(data)!, pr.GetValue(seed), nThreads, options, pr.GetValue(output)!, pr.GetValue(json));
        }));
        return cmd;
    }

    /// <summary>
    /// The evaluation's services: checkpoint folders load through <c>AddEcgClipEval</c>'s
    /// <see cref="ICheckpointModelLoader"/> (over <c>IEcgClipModelFactory.FromPretrained</c>, which needs <c>AddEcgClipText</c>).
    /// </summary>
    internal static ServiceProvider BuildServices(string backbone, long seed, int threads) => new ServiceCollection()
        .AddEcgClip(o => { o.Backbone = backbone; o.Device = "cpu"; o.Seed = seed; o.Threads = threads; })
        .AddEcgClipText()
        .AddEcgClipEval()
        .BuildServiceProvider();

    internal static IReadOnlyList<double> ParseFractions(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var values = new List<double>();
        foreach (var p in parts)
        {
            if (!double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) || !(f > 0 && f <= 1))
                throw new ArgumentException($"--fractions must be comma-separated numbers in (0, 1], e.g. 0.01,0.1,1; got '{p}' in '{text}'");
            values.Add(f);
        }
        if (values.Count == 0) throw new ArgumentException($"--fractions names no fraction: '{text}'");
        if (values.Distinct().Count() != values.Count) throw new ArgumentException($"--fractions repeats a value: '{text}'");
        return values;
    }

    private static int Run(string checkpoint, IReadOnlyList<string> baselines, string backbone, string data, long seed, int threads, EvaluationOptions options, string outDir, bool json)
    {
        var watch = Stopwatch.StartNew();
        TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
        torch.set_num_threads(threads);
        using var services = BuildServices(backbone, seed, threads);
        try
        {
            services.ValidateEcgClipOptions();
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            throw new ArgumentException($"--backbone/--threads: {string.Join("; ", ex.Failures)}", ex);
        }
        var dataset = EcgDatasetSource.Open(data, new EcgDatasetSourceOptions { LabelSet = EvaluationTasks.LabelSetFor(options.Task) });
        var source = services.GetRequiredService<IEvaluationModelSource>();
        var models = new List<EvaluationModel>();
        try
        {
            foreach (var c in baselines.Prepend(checkpoint)) models.Add(source.Load(new EvaluationModelRequest(c, backbone, seed)));
            if (models.Select(m => m.Name).Distinct(StringComparer.Ordinal).Count() != models.Count)
                throw new ArgumentException($"--checkpoint/--baseline name the same model twice ({string.Join(", ", models.Select(m => m.Name))}); each model is evaluated once");
            return Run(services, dataset, models, data, checkpoint, backbone, options, outDir, json, watch);
        }
        finally
        {
            foreach (var m in models) m.Dispose();
        }
    }

    private static int Run(IServiceProvider services, IEcgTextDataset dataset, IReadOnlyList<EvaluationModel> models, string data, string checkpoint,
        string backbone, EvaluationOptions options, string outDir, bool json, Stopwatch watch)
    {
        var runner = services.GetRequiredService<EvaluationRunner>();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        EvaluationResult result = null!;
        console.Progress().AutoClear(true).Start(ctx =>
        {
            var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
            var progress = new SyncProgress(p =>
            {
                if (!tasks.TryGetValue(p.Stage, out var t)) tasks[p.Stage] = t = ctx.AddTask(p.Stage, maxValue: Math.Max(1, p.Total));
                t.Value = p.Done;
            });
            result = models.Count == 1 ? runner.Run(dataset, models[0], options, outDir, progress) : runner.RunLinearProbe(dataset, models, options, outDir, progress);
        });
        double seconds = watch.Elapsed.TotalSeconds;
        if (json) CliJson.WriteLine(EvaluateJson.Build(result, data, checkpoint, backbone, outDir, seconds));
        else Render(result, seconds);
        return ExitCodes.Ok;
    }

    private static void Render(EvaluationResult result, double seconds)
    {
        Console.WriteLine($"{EvaluationProtocols.ToName(result.Protocol)} · {result.Task.Name} · {result.Model}: " +
                          $"{result.SplitRows.Train} train / {result.SplitRows.Validation} validation / {result.SplitRows.Test} test items, {seconds:F1} s");
        if (result.Retrieval is { } r)
        {
            foreach (var (name, s) in new[] { ("ECG → text", r.EcgToText), ("text → ECG", r.TextToEcg) })
                Console.WriteLine($"  {name}: " + string.Join(", ", s.Recall.Select(k => $"R@{k.K} {k.Recall:F3} (chance {k.Chance:F3})")) + $", median rank {s.MedianRank}");
        }
        foreach (var m in result.Report?.Models ?? [])
            foreach (var f in m.Fractions)
                foreach (var run in f.Runs)
                {
                    string head = $"  fraction {run.Fraction.ToString(CultureInfo.InvariantCulture)}, seed {run.Seed} ({run.TrainingRows} training rows, {run.StrengthName} {run.SelectedStrength.ToString("G4", CultureInfo.InvariantCulture)})";
                    if (run.Ranking is { } rank)
                    {
                        Console.WriteLine($"{head}: macro PRAUC {Ci(rank.MacroAveragePrecision.Metric.Value, rank.MacroAveragePrecision.Interval)}, macro AUROC {Ci(rank.MacroAreaUnderRoc.Metric.Value, rank.MacroAreaUnderRoc.Interval)}");
                        foreach (var t in rank.Tasks)
                            Console.WriteLine($"    {t.Metrics.Name,-10} n+={t.Metrics.PositiveCount,-5} PRAUC {Ci(t.Metrics.AveragePrecision, t.AveragePrecisionInterval)}  AUROC {Ci(t.Metrics.AreaUnderRoc, t.AreaUnderRocInterval)}");
                    }
                    foreach (var t in run.Regression?.Targets ?? [])
                        Console.WriteLine($"{head}: {t.Name} MAE {Ci(t.Metrics.MeanAbsoluteError, t.MeanAbsoluteErrorInterval)} vs training-mean baseline {Ci(t.Baseline.MeanAbsoluteError, t.BaselineMeanAbsoluteErrorInterval)}; RMSE {t.Metrics.RootMeanSquaredError:F3}, R² {t.Metrics.RSquared:F3}");
                }
        foreach (var c in result.Report?.Comparisons ?? [])
            Console.WriteLine($"  {c.ModelA} @ {c.FractionA.ToString(CultureInfo.InvariantCulture)} vs {c.ModelB} @ {c.FractionB.ToString(CultureInfo.InvariantCulture)} (seed {c.Seed}), {c.Metric}: " +
                              $"{Ci(c.Difference.Difference, c.Difference.Interval)} → {c.Verdict.ToString().ToLowerInvariant()}");
        Console.WriteLine($"  wrote {result.Files.Json}, {result.Files.Csv}, {result.Files.Markdown}" + (result.Plots.Count > 0 ? ", " + string.Join(", ", result.Plots) : ""));
    }

    private static string Ci(double? value, ConfidenceInterval? ci) =>
        value is not { } v ? "n/a" : ci is { } c ? $"{v:F3} [{c.Lower:F3}, {c.Upper:F3}]" : $"{v:F3}";

    private sealed class SyncProgress(Action<EvaluationProgress> action) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) => action(value);
    }
}
