using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EcgClip.Cli.Infrastructure;
using EcgClip.Eval.Prediction;
using EcgClip.Eval.Protocols;
using EcgClip.Signal.Datasets;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace EcgClip.Cli.Commands;

/// <summary><c>ecgclip train-heads</c>: linear task heads on a pretrained encoder, saved with it as a model folder for predict/explain.</summary>
internal sealed class TrainHeadsCommand : ICommandFactory
{
    public Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Pretrained checkpoint folder, or a pretrain run folder (its best checkpoint is used).", Required = true };
        var data = new Option<string>("--data") { Description = $"Labelled data: {EcgDatasetSource.Forms} (default embedded). Heads are fitted on the training split, L2 chosen on validation; test is not read.", DefaultValueFactory = _ => EcgDatasetSource.Embedded };
        var task = new Option<string>("--task") { Description = "Comma-separated tasks: superdiagnostic, subdiagnostic, form, rhythm, all, age, sex, or a label/target column (default superdiagnostic,age,sex).", DefaultValueFactory = _ => "superdiagnostic,age,sex" };
        var threads = new Option<int>("--threads") { Description = "Threads for libtorch, record reading and the probes (default 2).", DefaultValueFactory = _ => 2 };
        var limit = new Option<int>("--limit") { Description = "Use at most this many items per split (0 = all; for quick checks).", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Model folder to write: the checkpoint's model files plus heads/ (task and output names).", Required = true };
        var selection = new Option<string>("--selection")
        {
            Description = "How the L2 strength is picked on validation: 1se (default: the strongest regularisation within one bootstrap\n" +
                "standard error of the best score; smaller weights, steadier outputs for the same ECG from another system) or best.",
            DefaultValueFactory = _ => "1se",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON line with the fitted heads." };
        var cmd = new Command("train-heads",
            "Fit linear task heads (logistic / ridge, L2 strength chosen on validation) on a frozen pretrained encoder and write a\n" +
            "model folder (checkpoint + heads + task names) that `predict`, `explain` and `embed` load.\n" +
            "Example: ecgclip train-heads --checkpoint runs/pt --data ptbxl:data/ptbxl --task superdiagnostic,age --out models/ecgclip")
        {
            checkpoint, data, task, threads, limit, selection, output, json,
        };
        cmd.SetAction(pr => CommandRunner.Run(pr.GetValue(json), () =>
            Run(pr.GetValue(checkpoint)!, pr.GetValue(data)!, pr.GetValue(task)!, pr.GetValue(threads), pr.GetValue(limit), ParseSelection(pr.GetValue(selection)!),
                pr.GetValue(output)!, pr.GetValue(json))));
        return cmd;
    }

    private static ProbeSelection ParseSelection(string value) => value.Trim().ToLowerInvariant() switch
    {
        "1se" => ProbeSelection.OneStandardError,
        "best" => ProbeSelection.Best,
        _ => throw new ArgumentException($"--selection must be 1se or best, got '{value}'"),
    };

    private static int Run(string checkpoint, string data, string taskList, int threads, int limit, ProbeSelection selection, string output, bool json)
    {
        var watch = Stopwatch.StartNew();
        if (limit < 0) throw new ArgumentException($"--limit must be ≥ 0, got {limit}");
        var tasks = taskList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (tasks.Length == 0) throw new ArgumentException("--task names no task");
        string source = EcgClipModelFolder.ResolveCheckpoint(checkpoint);
        using var services = ModelCommandServices.Build(threads);
        using var model = services.GetRequiredService<IEvaluationModelSource>().Load(new EvaluationModelRequest(source, "resnet18", 0));
        var trainer = new TaskHeadTrainer(services.GetRequiredService<EmbeddingCache>());
        var datasets = new Dictionary<PtbXlLabelSet, IEcgTextDataset>();
        IEcgTextDataset Open(PtbXlLabelSet set) => datasets.TryGetValue(set, out var d) ? d : datasets[set] = EcgDatasetSource.Open(data, new EcgDatasetSourceOptions { LabelSet = set });

        (TaskHeadSet Heads, IReadOnlyList<FittedHeadSummary> Summaries)? result = null;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Status().Start("embedding and fitting heads", ctx =>
            result = trainer.Fit(model, Open, tasks, new EmbeddingOptions(64, 10, threads), new LinearProbeOptions { MaxDegreeOfParallelism = threads, Selection = selection }, limit,
                new StatusProgress(t => ctx.Status($"embedding and fitting {t}"))));
        var fitted = result ?? throw new InvalidOperationException("no heads were fitted");
        using var heads = fitted.Heads;
        EcgClipModelFolder.Write(source, heads, output);
        if (json)
        {
            CliJson.WriteLine(new
            {
                model = output,
                checkpoint = source,
                data,
                wall_s = Math.Round(watch.Elapsed.TotalSeconds, 2),
                heads = fitted.Summaries.Select((s, i) => new
                {
                    task = s.Task,
                    kind = heads.Specs[i].Kind.ToString().ToLowerInvariant(),
                    outputs = heads.Specs[i].Outputs,
                    training_rows = s.TrainingRows,
                    strength_name = s.StrengthName,
                    strength = s.Strength,
                    validation_score = s.ValidationScore,
                    selection = s.Selection == ProbeSelection.OneStandardError ? "1se" : "best",
                    best_strength = s.BestStrength,
                    best_validation_score = s.BestValidationScore,
                    validation_standard_error = double.IsFinite(s.ValidationStandardError) ? s.ValidationStandardError : (double?)null,
                }),
            });
        }
        else
        {
            var table = new Table().AddColumns("task", "kind", "outputs", "training rows", $"L2 (chosen on validation, {(selection == ProbeSelection.OneStandardError ? "1se" : "best")})", "validation score", "best (L2, score ± SE)");
            for (int i = 0; i < heads.Count; i++)
            {
                var s = fitted.Summaries[i];
                table.AddRow(s.Task, heads.Specs[i].Kind.ToString().ToLowerInvariant(), Markup.Escape(string.Join(", ", heads.Specs[i].Outputs)),
                    s.TrainingRows.ToString(CultureInfo.InvariantCulture), $"{s.StrengthName} = {s.Strength.ToString("G4", CultureInfo.InvariantCulture)}",
                    s.ValidationScore.ToString("F3", CultureInfo.InvariantCulture),
                    $"{s.BestStrength.ToString("G4", CultureInfo.InvariantCulture)}, {s.BestValidationScore.ToString("F3", CultureInfo.InvariantCulture)}" +
                    (double.IsFinite(s.ValidationStandardError) ? $" ± {s.ValidationStandardError.ToString("F3", CultureInfo.InvariantCulture)}" : ""));
            }
            AnsiConsole.Write(table);
            Console.WriteLine($"wrote model folder {output} ({watch.Elapsed.TotalSeconds:F1} s)");
        }
        return ExitCodes.Ok;
    }

    private sealed class StatusProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
