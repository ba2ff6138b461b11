using System.CommandLine;
using System.Globalization;
using EcgClip.Cli.Infrastructure;
using EcgClip.Core.Abstractions;
using EcgClip.Eval.Prediction;
using Spectre.Console;

namespace EcgClip.Cli.Commands;

/// <summary><c>ecgclip predict</c>: named per-task probabilities (and regression values) for ECG files of any supported format.</summary>
internal sealed class PredictCommand : ICommandFactory
{
    public Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "ECG files: WFDB (.hea), CinC (.mat/.hea), GE MUSE XML, Philips XML, HL7 aECG.", Arity = ArgumentArity.OneOrMore };
        var model = new Option<string>("--model") { Description = "Model folder written by `ecgclip train-heads`.", Required = true };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (default 2).", DefaultValueFactory = _ => 2 };
        var json = new Option<bool>("--json") { Description = "One JSON line per file: per task its named outputs, the preprocessing applied, or the error." };
        var resolution = new Option<double>("--input-resolution-uv")
        {
            Description = "Round input amplitudes to this step in µV before resampling (default 1, the training data's resolution),\n" +
                "so two exports of one ECG that differ only by a converter's rounding score the same; 0 turns it off.",
            DefaultValueFactory = _ => 1.0,
        };
        var cmd = new Command("predict",
            "Score ECG files with a model folder: leads mapped by name (limb leads derived where only 8 are stored), resampled to\n" +
            "the model's rate (amplitudes first rounded to 1 µV), the model's stored preprocessing applied, long records windowed (scores averaged). A file that\n" +
            "cannot be used is reported with the reason and the others are still scored (exit 2 if any file failed).\n" +
            "Example: ecgclip predict scan1.xml 00001_lr.hea --model models/ecgclip --json")
        {
            files, model, threads, json, resolution,
        };
        cmd.SetAction(pr => CommandRunner.Run(pr.GetValue(json), () => Run(pr.GetValue(files)!, pr.GetValue(model)!, pr.GetValue(threads), pr.GetValue(json), pr.GetValue(resolution))));
        return cmd;
    }

    private static int Run(string[] files, string modelDirectory, int threads, bool json, double resolutionUv)
    {
        if (!(resolutionUv >= 0 && resolutionUv <= 100))
            throw new ArgumentException($"--input-resolution-uv must be between 0 (off) and 100 µV, got {resolutionUv.ToString(CultureInfo.InvariantCulture)}");
        using var services = ModelCommandServices.Build(threads);
        using var loaded = ModelCommandServices.LoadModel(services, modelDirectory);
        double resolutionMv = resolutionUv / 1000;
        var model = resolutionMv == loaded.Preparer.Options.InputResolutionMv
            ? loaded // the default: keep the preparer (and its filter designs) the model folder built
            : loaded with { Preparer = new EcgInputPreparer(loaded.Preparer.Options with { InputResolutionMv = resolutionMv }) };
        using var predictor = model.CreatePredictor();
        var results = predictor.PredictFiles(files);
        foreach (var r in results)
        {
            if (json) CliJson.WriteLine(Json(r));
            else Render(r);
        }
        return results.Any(r => r.Error is not null) ? ExitCodes.BadInput : ExitCodes.Ok;
    }

    private static object Json(EcgPredictionResult r) => r.Prediction is not { } p
        ? new { file = r.Source, error = r.Error }
        : new
        {
            file = r.Source,
            windows = p.Windows,
            tasks = p.Tasks.ToDictionary(t => t.Task, t => (object)new
            {
                kind = t.Kind.ToString().ToLowerInvariant(),
                outputs = t.Outputs.ToDictionary(o => o.Key, o => Math.Round(o.Value, 6)),
            }),
            preprocessing = p.Preprocessing,
        };

    private static void Render(EcgPredictionResult r)
    {
        if (r.Prediction is not { } p)
        {
            Console.Error.WriteLine($"error: {r.Source}: {r.Error}");
            return;
        }
        var table = new Table().Title(Markup.Escape(r.Source)).AddColumns("task", "output", "value");
        foreach (var t in p.Tasks)
            foreach (var (name, value) in t.Outputs)
                table.AddRow(Markup.Escape(t.Task), Markup.Escape(name), t.Kind == TaskKind.Regression
                    ? value.ToString("F2", CultureInfo.InvariantCulture)
                    : value.ToString("P1", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        Console.WriteLine("  " + string.Join("; ", p.Preprocessing));
    }
}
