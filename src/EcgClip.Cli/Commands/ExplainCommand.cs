using System.CommandLine;
using System.Globalization;
using EcgClip.Cli.Infrastructure;
using EcgClip.Eval.Plots;
using EcgClip.Eval.Prediction;
using EcgClip.Signal.Formats;
using EcgClip.Signal.Records;

namespace EcgClip.Cli.Commands;

/// <summary><c>ecgclip explain</c>: saliency of one task output drawn over the clinical 12-lead paper plot.</summary>
internal sealed class ExplainCommand : ICommandFactory
{
    public Command Create()
    {
        var file = new Argument<string>("file") { Description = "The ECG file (any format `predict` reads)." };
        var model = new Option<string>("--model") { Description = "Model folder written by `ecgclip train-heads`.", Required = true };
        var task = new Option<string>("--task") { Description = "The task to explain (e.g. superdiagnostic).", Required = true };
        var outputName = new Option<string?>("--output") { Description = "The output (label) to explain; default: the most probable one (regression: the value)." };
        var method = new Option<string>("--method") { Description = $"Attribution: {SaliencyMethods.Names} (default ig: integrated gradients from a flat-line baseline).", DefaultValueFactory = _ => "ig" };
        var steps = new Option<int>("--steps") { Description = "Integrated-gradient steps (default 64).", DefaultValueFactory = _ => 64 };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (default 2).", DefaultValueFactory = _ => 2 };
        var output = new Option<string>("--out") { Description = "Picture to write (.png or .svg): the 12-lead paper plot with the attribution shaded behind each trace.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON line: the output explained, its score, the attribution share per lead." };
        var cmd = new Command("explain",
            "Explain one task output for one ECG: attributions (integrated gradients, Grad-CAM-1D, gradient, gradient × input) on\n" +
            "the model's input window, shaded behind the traces of the standard 3×4 + rhythm-strip paper plot (25 mm/s, 10 mm/mV).\n" +
            "Example: ecgclip explain 00001_lr.hea --model models/ecgclip --task superdiagnostic --method ig --out explain.png")
        {
            file, model, task, outputName, method, steps, threads, output, json,
        };
        cmd.SetAction(pr => CommandRunner.Run(pr.GetValue(json), () =>
        {
            if (!SaliencyMethods.TryParse(pr.GetValue(method), out var m)) throw new ArgumentException($"--method must be one of {SaliencyMethods.Names}, got '{pr.GetValue(method)}'");
            int n = pr.GetValue(steps);
            if (n < 2) throw new ArgumentException($"--steps must be at least 2, got {n}");
            return Run(pr.GetValue(file)!, pr.GetValue(model)!, pr.GetValue(task)!, pr.GetValue(outputName), m, n, pr.GetValue(threads), pr.GetValue(output)!, pr.GetValue(json));
        }));
        return cmd;
    }

    private static int Run(string file, string modelDirectory, string task, string? outputName, SaliencyMethod method, int steps, int threads, string output, bool json)
    {
        string ext = Path.GetExtension(output).ToLowerInvariant();
        if (ext is not (".png" or ".svg")) throw new ArgumentException($"--out {output}: the picture is written as .png or .svg");
        using var services = ModelCommandServices.Build(threads);
        using var loaded = ModelCommandServices.LoadModel(services, modelDirectory);
        var record = EcgReader.Read(file);
        var explanation = loaded.CreateExplainer(steps).Explain(record, task, outputName, method);
        // The attributions cover the model's first window: draw exactly that span of the record.
        double seconds = explanation.Prepared.Samples / (loaded.Preparer.Options.Preprocessing.ResampleHz ?? loaded.Preparer.Options.Preprocessing.SamplingRateHz);
        var shown = EcgRecordSlicing.Slice(record, 0, Math.Min(record.SampleCount, (long)Math.Round(seconds * record.SamplingRate)));
        string methodName = method switch
        {
            SaliencyMethod.GradCam => "Grad-CAM",
            SaliencyMethod.Gradient => "gradient",
            SaliencyMethod.GradientTimesInput => "gradient × input",
            _ => "integrated gradients",
        };
        string score = explanation.Score.ToString(loaded.Heads.Get(task).Spec.Kind == Core.Abstractions.TaskKind.Regression ? "F2" : "P1", CultureInfo.InvariantCulture);
        EcgPaperPlot.Save(output, shown, new EcgPaperPlotOptions { Title = $"{Path.GetFileName(file)} · {explanation.Task}: {explanation.Output} {score} · {methodName}" }, explanation.Map);
        var perLead = explanation.Map.AbsoluteMassPerLead(0);
        double total = perLead.Sum();
        var leads = explanation.Map.Leads == 12 ? LeadNames.Canonical12 : ["all"];
        if (json)
            CliJson.WriteLine(new
            {
                file,
                task = explanation.Task,
                output = explanation.Output,
                score = explanation.Score,
                method = methodName,
                picture = output,
                lead_share = leads.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => total > 0 ? Math.Round(perLead[x.i] / total, 4) : 0),
                preprocessing = explanation.Prepared.Steps,
            });
        else
            Console.WriteLine($"{explanation.Task}: {explanation.Output} {score}; {methodName}; wrote {output}" +
                              (leads.Count == 12 ? "; largest share in " + string.Join(", ", leads.Select((l, i) => (l, s: perLead[i])).OrderByDescending(x => x.s).Take(3).Select(x => $"{x.l} {(total > 0 ? x.s / total : 0):P0}")) : ""));
        return ExitCodes.Ok;
    }
}
