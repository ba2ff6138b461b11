using System.Diagnostics;
using System.Globalization;
using EcgClip.Cli.Infrastructure;
using EcgClip.Eval.Bootstrap;
using EcgClip.Eval.Comparison;
using EcgClip.Eval.IO;
using System.CommandLine;

namespace EcgClip.Cli.Commands;

/// <summary><c>ecgclip compare</c>: paired comparison of two models' PRAUC/AUROC (bootstrap CI and p-value, DeLong).</summary>
internal sealed class CompareCommand : ICommandFactory
{
    public Command Create()
    {
        var labels = new Option<string>("--labels") { Description = "labels .npy, [n, tasks] (or [n]) of 0/1", Required = true };
        var scoresA = new Option<string>("--scores-a") { Description = "scores of model A (.npy, same shape)", Required = true };
        var scoresB = new Option<string>("--scores-b") { Description = "scores of model B (.npy, same shape)", Required = true };
        var bootstrap = new Option<int>("--bootstrap") { Description = "bootstrap resamples (0 = no CIs/p-values)", DefaultValueFactory = _ => 1000 };
        var seed = new Option<ulong>("--seed") { Description = "random seed of the bootstrap", DefaultValueFactory = _ => 0UL };
        var threads = new Option<int>("--threads") { Description = "worker threads (0 = all processors)", DefaultValueFactory = _ => 0 };
        var patients = new Option<string?>("--patients") { Description = "optional patient id per sample (.npy [n], integers): cluster bootstrap" };
        var names = new Option<string?>("--names") { Description = "optional text file with one task name per line" };
        var json = new Option<bool>("--json") { Description = "print one JSON line" };
        var cmd = new Command("compare", "Paired comparison of two models on the same samples: PRAUC and AUROC differences (A − B) per task and macro, with bootstrap CIs, two-sided p-values and DeLong's test.");
        foreach (var o in new Option[] { labels, scoresA, scoresB, bootstrap, seed, threads, patients, names, json }) cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            bool asJson = pr.GetValue(json);
            return CommandRunner.Run(asJson, () =>
            {
                var a = BinaryTaskFiles.Read(pr.GetValue(labels)!, pr.GetValue(scoresA)!, pr.GetValue(names), "scores-a");
                var b = BinaryTaskFiles.ReadOtherScores(a, pr.GetValue(scoresB)!, "scores-b");
                var patientPath = pr.GetValue(patients);
                var ids = patientPath is null ? null : BinaryTaskFiles.ReadPatientIds(patientPath, a.SampleCount);
                var options = new BootstrapOptions(pr.GetValue(bootstrap), pr.GetValue(seed), pr.GetValue(threads), PatientIds: ids);
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                var report = new PairedComparer().Compare(a, b, options);
                double seconds = watch.Elapsed.TotalSeconds;
                double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                if (asJson) CliJson.WriteLine(ToJson(report, a.SampleCount, seconds, cpuSeconds));
                else Render(report, seconds);
                return ExitCodes.Ok;
            });
        });
        return cmd;
    }

    private static object Diff(DifferenceEstimate d) => new
    {
        a = d.A,
        b = d.B,
        diff = d.Difference,
        ci = MetricsCommand.Pair(d.Interval),
        p_value = d.PValue,
        skipped_resamples = d.SkippedResamples,
    };

    private static object ToJson(PairedComparisonReport report, int n, double seconds, double cpuSeconds) => new
    {
        tasks = report.Tasks.Select(t => new
        {
            name = t.Name,
            n_pos = t.PositiveCount,
            prauc = Diff(t.AveragePrecision),
            auroc = Diff(t.AreaUnderRoc),
            delong_z = t.DeLong?.Z is double z && double.IsFinite(z) ? z : (double?)null,
            delong_p = t.DeLong?.PValue,
        }).ToArray(),
        macro_prauc = Diff(report.MacroAveragePrecision),
        macro_auroc = Diff(report.MacroAreaUnderRoc),
        skipped_tasks = report.SkippedTasks,
        n,
        bootstrap = report.Resamples,
        seed = report.Seed,
        seconds,
        cpu_seconds = cpuSeconds,
    };

    private static void Render(PairedComparisonReport report, double seconds)
    {
        static string F(double? v) => v is double d ? d.ToString("0.0000", CultureInfo.InvariantCulture) : "–";
        static string Ci(ConfidenceInterval? c) => c is { } x ? $"[{F(x.Lower)}, {F(x.Upper)}]" : "–";
        static string P(double? v) => v is double d ? d.ToString("0.0000", CultureInfo.InvariantCulture) : "–";
        int w = Math.Max(8, report.Tasks.Max(t => t.Name.Length));
        Console.Out.WriteLine($"{"task".PadRight(w)}  {"n_pos",6}  {"ΔPRAUC",8}  {"95% CI",20}  {"p",6}  {"ΔAUROC",8}  {"95% CI",20}  {"p",6}  {"DeLong p",8}");
        foreach (var t in report.Tasks)
            Console.Out.WriteLine($"{t.Name.PadRight(w)}  {t.PositiveCount,6}  {F(t.AveragePrecision.Difference),8}  {Ci(t.AveragePrecision.Interval),20}  {P(t.AveragePrecision.PValue),6}  {F(t.AreaUnderRoc.Difference),8}  {Ci(t.AreaUnderRoc.Interval),20}  {P(t.AreaUnderRoc.PValue),6}  {P(t.DeLong?.PValue),8}");
        var ma = report.MacroAveragePrecision;
        var mu = report.MacroAreaUnderRoc;
        Console.Out.WriteLine($"{"macro".PadRight(w)}  {"",6}  {F(ma.Difference),8}  {Ci(ma.Interval),20}  {P(ma.PValue),6}  {F(mu.Difference),8}  {Ci(mu.Interval),20}  {P(mu.PValue),6}");
        if (report.SkippedTasks.Count > 0) Console.Out.WriteLine($"skipped (no positives): {string.Join(", ", report.SkippedTasks)}");
        Console.Out.WriteLine($"differences are A − B; {report.Resamples} paired bootstrap resamples (seed {report.Seed}), {seconds:0.000} s");
    }
}
