using System.Diagnostics;
using System.Globalization;
using EcgClip.Cli.Infrastructure;
using EcgClip.Eval.Bootstrap;
using EcgClip.Eval.IO;
using EcgClip.Eval.Metrics;
using System.CommandLine;

namespace EcgClip.Cli.Commands;

/// <summary><c>ecgclip metrics</c>: sklearn-exact PRAUC and AUROC per task with percentile bootstrap CIs.</summary>
internal sealed class MetricsCommand : ICommandFactory
{
    public Command Create()
    {
        var labels = new Option<string>("--labels") { Description = "labels .npy, [n, tasks] (or [n]) of 0/1, any integer/bool/float dtype", Required = true };
        var scores = new Option<string>("--scores") { Description = "scores .npy, same shape, float32/float64", Required = true };
        var bootstrap = new Option<int>("--bootstrap") { Description = "bootstrap resamples (0 = no CIs)", DefaultValueFactory = _ => 1000 };
        var seed = new Option<ulong>("--seed") { Description = "random seed of the bootstrap", DefaultValueFactory = _ => 0UL };
        var threads = new Option<int>("--threads") { Description = "worker threads (0 = all processors)", DefaultValueFactory = _ => 0 };
        var patients = new Option<string?>("--patients") { Description = "optional patient id per sample (.npy [n], integers): cluster bootstrap" };
        var names = new Option<string?>("--names") { Description = "optional text file with one task name per line" };
        var json = new Option<bool>("--json") { Description = "print one JSON line" };
        var cmd = new Command("metrics", "PRAUC (average precision) and AUROC per task, identical to scikit-learn, with percentile bootstrap 95% CIs.");
        foreach (var o in new Option[] { labels, scores, bootstrap, seed, threads, patients, names, json }) cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            bool asJson = pr.GetValue(json);
            return CommandRunner.Run(asJson, () =>
            {
                var data = BinaryTaskFiles.Read(pr.GetValue(labels)!, pr.GetValue(scores)!, pr.GetValue(names));
                var patientPath = pr.GetValue(patients);
                var ids = patientPath is null ? null : BinaryTaskFiles.ReadPatientIds(patientPath, data.SampleCount);
                var options = new BootstrapOptions(pr.GetValue(bootstrap), pr.GetValue(seed), pr.GetValue(threads), PatientIds: ids);
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                var report = new RankingEvaluator().Evaluate(data, options);
                double seconds = watch.Elapsed.TotalSeconds;
                double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                if (asJson) CliJson.WriteLine(ToJson(report, data, options, seconds, cpuSeconds));
                else Render(report, data, seconds);
                return ExitCodes.Ok;
            });
        });
        return cmd;
    }

    internal static double[]? Pair(ConfidenceInterval? ci) => ci is { } c ? [c.Lower, c.Upper] : null;

    private static object ToJson(RankingReport report, BinaryTaskData data, BootstrapOptions options, double seconds, double cpuSeconds) => new
    {
        tasks = report.Tasks.Select(t => new
        {
            name = t.Metrics.Name,
            n_pos = t.Metrics.PositiveCount,
            n_neg = t.Metrics.NegativeCount,
            prauc = t.Metrics.AveragePrecision,
            auroc = t.Metrics.AreaUnderRoc,
            prauc_ci = Pair(t.AveragePrecisionInterval),
            auroc_ci = Pair(t.AreaUnderRocInterval),
            no_positives = !t.Metrics.HasPositives,
            prauc_skipped_resamples = t.AveragePrecisionSkippedResamples,
            auroc_skipped_resamples = t.AreaUnderRocSkippedResamples,
        }).ToArray(),
        macro_prauc = report.MacroAveragePrecision.Metric.Value,
        macro_prauc_ci = Pair(report.MacroAveragePrecision.Interval),
        macro_auroc = report.MacroAreaUnderRoc.Metric.Value,
        macro_auroc_ci = Pair(report.MacroAreaUnderRoc.Interval),
        weighted_prauc = MetricAverages.AveragePrecision(report.Tasks.Select(t => t.Metrics).ToArray(), AverageKind.Weighted).Value,
        weighted_auroc = MetricAverages.AreaUnderRoc(report.Tasks.Select(t => t.Metrics).ToArray(), AverageKind.Weighted).Value,
        skipped_prauc_tasks = report.MacroAveragePrecision.Metric.SkippedTasks,
        skipped_auroc_tasks = report.MacroAreaUnderRoc.Metric.SkippedTasks,
        n = data.SampleCount,
        bootstrap = report.Resamples,
        seed = report.Seed,
        threads = options.MaxDegreeOfParallelism,
        patient_clustered = options.PatientIds is not null,
        seconds,
        cpu_seconds = cpuSeconds,
    };

    private static void Render(RankingReport report, BinaryTaskData data, double seconds)
    {
        static string F(double? v) => v is double d ? d.ToString("0.0000", CultureInfo.InvariantCulture) : "–";
        static string Ci(ConfidenceInterval? c) => c is { } x ? $"[{F(x.Lower)}, {F(x.Upper)}]" : "–";
        int w = Math.Max(8, report.Tasks.Max(t => t.Metrics.Name.Length));
        Console.Out.WriteLine($"{"task".PadRight(w)}  {"n_pos",6}  {"PRAUC",7}  {"95% CI",18}  {"AUROC",7}  {"95% CI",18}");
        foreach (var t in report.Tasks)
        {
            string flag = t.Metrics.HasPositives ? "" : "  (no positives: PRAUC 0 as sklearn, skipped in macro)";
            Console.Out.WriteLine($"{t.Metrics.Name.PadRight(w)}  {t.Metrics.PositiveCount,6}  {F(t.Metrics.AveragePrecision),7}  {Ci(t.AveragePrecisionInterval),18}  {F(t.Metrics.AreaUnderRoc),7}  {Ci(t.AreaUnderRocInterval),18}{flag}");
        }
        Console.Out.WriteLine($"{"macro".PadRight(w)}  {"",6}  {F(report.MacroAveragePrecision.Metric.Value),7}  {Ci(report.MacroAveragePrecision.Interval),18}  {F(report.MacroAreaUnderRoc.Metric.Value),7}  {Ci(report.MacroAreaUnderRoc.Interval),18}");
        if (report.MacroAveragePrecision.Metric.SkippedTasks.Count > 0)
            Console.Out.WriteLine($"skipped in macro PRAUC (no positives): {string.Join(", ", report.MacroAveragePrecision.Metric.SkippedTasks)}");
        if (report.MacroAreaUnderRoc.Metric.SkippedTasks.Count > 0)
            Console.Out.WriteLine($"skipped in macro AUROC (one class): {string.Join(", ", report.MacroAreaUnderRoc.Metric.SkippedTasks)}");
        Console.Out.WriteLine($"{data.SampleCount} samples, {data.TaskCount} tasks, {report.Resamples} bootstrap resamples (seed {report.Seed}), {seconds:0.000} s");
    }
}
