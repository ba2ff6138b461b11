using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using EcgClip.Cli.Infrastructure;
using EcgClip.Core.Models;
using EcgClip.Eval.Protocols;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace EcgClip.Cli.Commands;

/// <summary><c>ecgclip reproduce</c>: pretrain ECGCLIP and the MERL baseline, linear-probe both and random initialisation, write report.md.</summary>
internal sealed class ReproduceCommand : ICommandFactory
{
    public Command Create()
    {
        var data = new Option<string>("--data") { Description = "embedded (default: the PTB-XL subset shipped with EcgClip) or ptbxl:<dir>; folds 1–8 train / 9 validation / 10 test.", DefaultValueFactory = _ => "embedded" };
        var epochs = new Option<int>("--epochs") { Description = $"Pretraining epochs per objective (default {ReproductionOptions.DefaultEpochs}: both pretrainings and the probes fit in 30 minutes on 2 quiet cores on 1,999 PTB-XL records; a 10-epoch run alone takes ≈ 12–13 min).", DefaultValueFactory = _ => ReproductionOptions.DefaultEpochs };
        var steps = new Option<int?>("--steps") { Description = "Pretraining optimisation steps per objective; overrides --epochs (smoke runs)." };
        var batch = new Option<int>("--batch-size") { Description = "Pretraining pairs per batch (default 32).", DefaultValueFactory = _ => 32 };
        var seeds = new Option<int>("--seeds") { Description = "Subsampling seeds per label fraction below 100% (default 3).", DefaultValueFactory = _ => 3 };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap resamples of the CIs and paired comparisons (default 1000; 0 = no CIs, every comparison indistinguishable).", DefaultValueFactory = _ => 1000 };
        var threads = new Option<int>("--threads") { Description = "libtorch, reading, probe and bootstrap threads (default 2).", DefaultValueFactory = _ => 2 };
        var tasks = new Option<string>("--tasks") { Description = "Task sets, comma-separated: superdiagnostic, subdiagnostic, form, rhythm, all, age, sex (default superdiagnostic,age).", DefaultValueFactory = _ => "superdiagnostic,age" };
        var fractions = new Option<string>("--fractions") { Description = "Label fractions (default 0.1,1).", DefaultValueFactory = _ => "0.1,1" };
        var seed = new Option<long>("--seed") { Description = "Seed of both pretrainings and of the random initialisation (default 0).", DefaultValueFactory = _ => 0L };
        var limit = new Option<int>("--limit") { Description = "At most N items per split (the first ones; 0 = all), for smoke runs.", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Output folder: pretrain-clip/, pretrain-merl/ (reused on rerun when complete), one folder per task set, results.json/csv/md, report.md.", Required = true };
        var verbose = new Option<bool>("--verbose") { Description = "Log progress details to stderr." };
        var json = new Option<bool>("--json") { Description = "Print one JSON line with rows (task, model, fraction, macro_prauc, macro_prauc_ci, macro_auroc, seeds' mean and sd) and the verdicts." };
        var cmd = new Command("reproduce",
            "The one-command reproduction: pretrain ECGCLIP (--objective clip) and the MERL-objective baseline (--objective merl) with the\n" +
            $"same resnet18 backbone, data, steps and seed ({ReproductionOptions.DefaultEpochs} epochs each by default), then linear-probe both and random initialisation at 10% and\n" +
            "100% of the labels on PTB-XL superdiagnostic and age (same splits and seeds), and write report.md stating, with paired-bootstrap\n" +
            "CIs, whether pretraining won, lost or could not be told apart. A completed pretraining in <out> is reused on rerun.\n" +
            "Example: ecgclip reproduce --data ptbxl:data/ptbxl --out repro --json")
        {
            data, epochs, steps, batch, seeds, bootstrap, threads, tasks, fractions, seed, limit, output, verbose, json,
        };
        cmd.SetAction(pr => CommandRunner.Run(pr.GetValue(json), () =>
        {
            var options = new ReproductionOptions
            {
                Data = pr.GetValue(data)!, OutputDirectory = pr.GetValue(output)!, Epochs = pr.GetValue(epochs), Steps = pr.GetValue(steps),
                BatchSize = pr.GetValue(batch), Seed = pr.GetValue(seed), Seeds = pr.GetValue(seeds), Bootstrap = pr.GetValue(bootstrap),
                Threads = pr.GetValue(threads), Limit = pr.GetValue(limit), Fractions = EvaluateCommand.ParseFractions(pr.GetValue(fractions)!),
                Tasks = pr.GetValue(tasks)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(t => t.ToLowerInvariant()).ToArray(),
            };
            if (options.Data.StartsWith("manifest:", StringComparison.OrdinalIgnoreCase) || options.Data.StartsWith("cinc:", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"--data must be embedded or ptbxl:<dir> (the PTB-XL task sets and folds), got '{options.Data}'");
            options.Validate();
            return Run(options, pr.GetValue(verbose), pr.GetValue(json));
        }));
        return cmd;
    }

    private static int Run(ReproductionOptions options, bool verbose, bool json)
    {
        using var services = new ServiceCollection()
            .AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning)
                .AddFilter("Microsoft", LogLevel.Warning))
            .Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddEcgClip(o => { o.Backbone = options.Backbone; o.Device = "cpu"; o.Seed = options.Seed; o.Threads = options.Threads; })
            .AddEcgClipText()
            .AddEcgClipEval()
            .BuildServiceProvider();
        services.GetRequiredService<TorchRuntime>().EnsureThreads(options.Threads);
        var runner = services.GetRequiredService<ReproductionRunner>();

        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
        Console.CancelKeyPress += onCancel;
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; cts.Cancel(); });
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        ReproductionResult result = null!;
        try
        {
            console.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    var bars = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                    var progress = new SyncProgress(p =>
                    {
                        if (!bars.TryGetValue(p.Stage, out var bar)) bars[p.Stage] = bar = ctx.AddTask(Markup.Escape(p.Stage), maxValue: Math.Max(1, p.Total));
                        bar.MaxValue = Math.Max(1, p.Total);
                        bar.Value = p.Done;
                        if (p.Detail is { } d) bar.Description = Markup.Escape($"{p.Stage} ({d})");
                    });
                    result = runner.Run(options, progress, cts.Token);
                });
        }
        catch (OperationCanceledException ex)
        {
            Console.Error.WriteLine($"interrupted: {ex.Message} (rerun the same command to continue; completed pretrainings are reused)");
            return PretrainCommand.Interrupted;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        if (json) CliJson.WriteLine(ReproductionJson.Build(result.Options, result.Pretrainings, result.Rows, result.Comparisons, result.WallSeconds));
        else
        {
            foreach (var c in result.Comparisons) Console.WriteLine("- " + ReproductionSentences.Sentence(c).Replace("**", "", StringComparison.Ordinal));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {result.Files.Report}, {result.Files.Json} ({result.WallSeconds / 60:F1} min)"));
        }
        return ExitCodes.Ok;
    }

    private sealed class SyncProgress(Action<ReproductionProgress> action) : IProgress<ReproductionProgress>
    {
        public void Report(ReproductionProgress value) => action(value);
    }
}
