using System.Text.Json;
using EcgClip.Eval.Bootstrap;
using EcgClip.Eval.Comparison;
using EcgClip.Eval.Metrics;
using EcgClip.Eval.Protocols;

namespace EcgClip.Eval.Reporting;

/// <summary>
/// Writes <c>results.json</c>: settings, every model's runs (per-task and macro metrics with intervals, validation
/// curves, the folder of the saved scores), seed summaries, comparisons with verdicts, and <c>rows</c> — one flat object
/// per task set, model and fraction. Undefined values are null; numbers round-trip exactly.
/// </summary>
internal static class JsonResultsWriter
{
    public static void Write(string path, EvaluationReport report)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("task_set", report.TaskSet);
        w.WriteString("protocol", report.Protocol);
        w.WriteStartObject("bootstrap");
        w.WriteNumber("resamples", report.Bootstrap.Resamples);
        w.WriteNumber("seed", report.Bootstrap.Seed);
        w.WriteNumber("confidence_level", report.Bootstrap.ConfidenceLevel);
        w.WriteEndObject();
        w.WriteStartArray("models");
        foreach (var m in report.Models) WriteModel(w, m);
        w.WriteEndArray();
        w.WriteStartArray("comparisons");
        foreach (var c in report.Comparisons) WriteComparison(w, c);
        w.WriteEndArray();
        w.WriteStartArray("rows");
        foreach (var m in report.Models)
            foreach (var f in m.Fractions) WriteRow(w, report.TaskSet, m, f);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteModel(Utf8JsonWriter w, DataEfficiencyResult m)
    {
        w.WriteStartObject();
        w.WriteString("model", m.Model);
        w.WriteString("kind", m.Kind.ToString().ToLowerInvariant());
        w.WriteStartArray("outputs");
        foreach (var n in m.OutputNames) w.WriteStringValue(n);
        w.WriteEndArray();
        w.WriteStartArray("fractions");
        foreach (var f in m.Fractions)
        {
            w.WriteStartObject();
            w.WriteNumber("fraction", f.Fraction);
            if (f.MacroAveragePrecision is { } ap) Summary(w, "macro_prauc", ap);
            if (f.MacroAreaUnderRoc is { } auc) Summary(w, "macro_auroc", auc);
            w.WriteStartArray("runs");
            foreach (var r in f.Runs) WriteRun(w, m.Model, r);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteRun(Utf8JsonWriter w, string model, ProbeRun r)
    {
        w.WriteStartObject();
        w.WriteNumber("seed", r.Seed);
        w.WriteNumber("training_rows", r.TrainingRows);
        w.WriteNumber("test_rows", r.Test.Rows);
        w.WriteString("folder", EvaluationReport.RunFolder(model, r));
        w.WriteString("strength_name", r.StrengthName);
        w.WriteNumber("selected_strength", r.SelectedStrength);
        w.WriteStartArray("validation_curve");
        foreach (var p in r.ValidationCurve)
        {
            w.WriteStartObject();
            w.WriteNumber("strength", p.Strength);
            Number(w, "score", p.Score);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        Strings(w, "constant_outputs", r.ConstantOutputs);
        if (r.Ranking is { } rank)
        {
            Number(w, "macro_prauc", rank.MacroAveragePrecision.Metric.Value);
            Interval(w, "macro_prauc_ci", rank.MacroAveragePrecision.Interval);
            Number(w, "macro_auroc", rank.MacroAreaUnderRoc.Metric.Value);
            Interval(w, "macro_auroc_ci", rank.MacroAreaUnderRoc.Interval);
            Strings(w, "skipped_tasks", rank.MacroAveragePrecision.Metric.SkippedTasks);
            w.WriteStartArray("tasks");
            foreach (var t in rank.Tasks) WriteTask(w, t);
            w.WriteEndArray();
        }
        if (r.Regression is { } reg)
        {
            w.WriteStartArray("targets");
            foreach (var t in reg.Targets)
            {
                w.WriteStartObject();
                w.WriteString("name", t.Name);
                Number(w, "mae", t.Metrics.MeanAbsoluteError);
                Interval(w, "mae_ci", t.MeanAbsoluteErrorInterval);
                Number(w, "rmse", t.Metrics.RootMeanSquaredError);
                Number(w, "r2", t.Metrics.RSquared);
                Number(w, "pearson", t.Metrics.Pearson);
                Number(w, "spearman", t.Metrics.Spearman);
                w.WriteStartObject("training_mean_baseline");
                Number(w, "prediction", t.TrainingMean);
                Number(w, "mae", t.Baseline.MeanAbsoluteError);
                Interval(w, "mae_ci", t.BaselineMeanAbsoluteErrorInterval);
                Number(w, "rmse", t.Baseline.RootMeanSquaredError);
                Number(w, "r2", t.Baseline.RSquared);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static void WriteTask(Utf8JsonWriter w, TaskEstimate t)
    {
        var m = t.Metrics;
        w.WriteStartObject();
        w.WriteString("name", m.Name);
        w.WriteNumber("positives", m.PositiveCount);
        w.WriteNumber("negatives", m.NegativeCount);
        w.WriteNumber("prevalence", m.PositiveCount / (double)(m.PositiveCount + m.NegativeCount));
        Number(w, "prauc", m.HasPositives ? m.AveragePrecision : null);
        Interval(w, "prauc_ci", t.AveragePrecisionInterval);
        Number(w, "auroc", m.AreaUnderRoc);
        Interval(w, "auroc_ci", t.AreaUnderRocInterval);
        w.WriteEndObject();
    }

    private static void WriteComparison(Utf8JsonWriter w, RunComparison c)
    {
        w.WriteStartObject();
        w.WriteString("model_a", c.ModelA);
        w.WriteNumber("fraction_a", c.FractionA);
        w.WriteString("model_b", c.ModelB);
        w.WriteNumber("fraction_b", c.FractionB);
        w.WriteNumber("seed", c.Seed);
        w.WriteString("metric", c.Metric);
        Difference(w, c.Difference);
        w.WriteString("verdict", c.Verdict.ToString().ToLowerInvariant());
        w.WriteEndObject();
    }

    private static void WriteRow(Utf8JsonWriter w, string taskSet, DataEfficiencyResult m, FractionSummary f)
    {
        var first = f.Runs[0];
        w.WriteStartObject();
        w.WriteString("task", taskSet);
        w.WriteString("model", m.Model);
        w.WriteNumber("fraction", f.Fraction);
        w.WriteNumber("seeds", f.Runs.Count);
        if (first.Ranking is { } rank)
        {
            Number(w, "macro_prauc", f.MacroAveragePrecision!.Mean);
            // the interval of the first seed's run; the spread over seeds is macro_prauc_sd
            Interval(w, "macro_prauc_ci", rank.MacroAveragePrecision.Interval);
            Number(w, "macro_prauc_sd", f.MacroAveragePrecision.StandardDeviation);
            Number(w, "macro_auroc", f.MacroAreaUnderRoc!.Mean);
            Interval(w, "macro_auroc_ci", rank.MacroAreaUnderRoc.Interval);
            Number(w, "macro_auroc_sd", f.MacroAreaUnderRoc.StandardDeviation);
        }
        else if (first.Regression is { } reg)
        {
            var t = reg.Targets[0];
            Number(w, "mae", f.MeanAbsoluteError[0].Mean);
            Interval(w, "mae_ci", t.MeanAbsoluteErrorInterval);
            Number(w, "mae_sd", f.MeanAbsoluteError[0].StandardDeviation);
            Number(w, "baseline_mae", t.Baseline.MeanAbsoluteError);
        }
        w.WriteEndObject();
    }

    private static void Summary(Utf8JsonWriter w, string name, SeedSummary s)
    {
        w.WriteStartObject(name);
        Number(w, "mean", s.Mean);
        Number(w, "sd", s.StandardDeviation);
        w.WriteNumber("seeds", s.Count);
        w.WriteEndObject();
    }

    private static void Difference(Utf8JsonWriter w, DifferenceEstimate d)
    {
        Number(w, "a", d.A);
        Number(w, "b", d.B);
        Number(w, "difference", d.Difference);
        Interval(w, "difference_ci", d.Interval);
        Number(w, "p_value", d.PValue);
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is double v && double.IsFinite(v)) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    private static void Interval(Utf8JsonWriter w, string name, ConfidenceInterval? ci)
    {
        if (ci is not ConfidenceInterval c)
        {
            w.WriteNull(name);
            return;
        }
        w.WriteStartArray(name);
        w.WriteNumberValue(c.Lower);
        w.WriteNumberValue(c.Upper);
        w.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
