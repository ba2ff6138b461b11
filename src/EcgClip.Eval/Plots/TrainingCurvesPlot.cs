using System.Text.Json;

namespace EcgClip.Eval.Plots;

/// <summary>
/// Training curves from a pretraining run's <c>metrics.jsonl</c> (one JSON object per line; <c>"kind": "step"</c> rows
/// with <c>step</c> and <c>loss</c>, <c>"kind": "validation"</c> rows with <c>step</c> and metrics such as
/// <c>ecg_to_text_r10</c>, <c>chance_r10</c>, <c>zero_shot_macro_auroc</c>): the loss per step (faint) with its moving
/// average, and the validation metrics on a right-hand axis. Lines that are not JSON objects are reported, not skipped silently.
/// </summary>
public static class TrainingCurvesPlot
{
    /// <summary>The validation metrics drawn when present.</summary>
    public static readonly IReadOnlyList<string> ValidationMetrics = ["ecg_to_text_r10", "text_to_ecg_r10", "chance_r10", "zero_shot_macro_auroc"];

    /// <summary>Draws <paramref name="metricsPath"/> to <paramref name="path"/> (.png or .svg); returns how many step and validation rows were read.</summary>
    /// <exception cref="InvalidDataException">A line is not a JSON object (names the file and line), or there is no step row with a loss.</exception>
    public static (int Steps, int Validations) Save(string path, string metricsPath, string? title = null, int width = 1000, int height = 600)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(metricsPath);
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".png" or ".svg")) throw new ArgumentException($"{path}: the plot is written as .png or .svg, not '{ext}'");
        var steps = new List<(double Step, double Loss)>();
        var validation = new Dictionary<string, List<(double, double)>>(StringComparer.Ordinal);
        int lineNo = 0;
        foreach (string line in File.ReadLines(metricsPath))
        {
            lineNo++;
            if (line.Length == 0) continue;
            JsonDocument doc;
            try { doc = JsonDocument.Parse(line); }
            catch (JsonException ex) { throw new InvalidDataException($"{metricsPath}:{lineNo}: not a JSON object ({ex.Message})", ex); }
            using (doc)
            {
                var r = doc.RootElement;
                if (r.ValueKind != JsonValueKind.Object || !r.TryGetProperty("step", out var s) || s.ValueKind != JsonValueKind.Number) continue;
                string kind = r.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : "step";
                if (kind == "step" && r.TryGetProperty("loss", out var l) && l.ValueKind == JsonValueKind.Number) steps.Add((s.GetDouble(), l.GetDouble()));
                else if (kind == "validation")
                    foreach (string m in ValidationMetrics)
                        if (r.TryGetProperty(m, out var v) && v.ValueKind == JsonValueKind.Number)
                            (validation.TryGetValue(m, out var list) ? list : validation[m] = []).Add((s.GetDouble(), v.GetDouble()));
            }
        }
        if (steps.Count == 0) throw new InvalidDataException($"{metricsPath}: no step rows with a loss");
        var plot = new ScottPlot.Plot();
        var xs = steps.Select(t => t.Step).ToArray();
        var raw = plot.Add.ScatterLine(xs, steps.Select(t => t.Loss).ToArray(), PlotPalette.At(0).WithAlpha(0.25));
        raw.LegendText = "loss (per step)";
        int window = Math.Max(1, steps.Count / 30);
        var smooth = new double[steps.Count];
        for (int i = 0; i < steps.Count; i++)
        {
            int a = Math.Max(0, i - window + 1);
            smooth[i] = steps.Skip(a).Take(i - a + 1).Average(t => t.Loss);
        }
        var avg = plot.Add.ScatterLine(xs, smooth, PlotPalette.At(0));
        avg.LineWidth = 2;
        avg.LegendText = $"loss (moving mean of {window})";
        plot.Axes.Left.Label.Text = "loss";
        int color = 1;
        foreach (var (metric, points) in validation)
        {
            var sc = plot.Add.Scatter(points.Select(p => p.Item1).ToArray(), points.Select(p => p.Item2).ToArray(), PlotPalette.At(color++));
            sc.Axes.YAxis = plot.Axes.Right;
            sc.MarkerSize = 7;
            sc.LineWidth = metric == "chance_r10" ? 1 : 2;
            if (metric == "chance_r10") sc.LinePattern = ScottPlot.LinePattern.Dashed;
            sc.LegendText = "val " + metric;
        }
        if (validation.Count > 0) plot.Axes.Right.Label.Text = "validation metric";
        plot.XLabel("optimiser step");
        plot.Title(title ?? Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(metricsPath))) ?? "training");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        if (ext == ".svg") plot.SaveSvg(path, width, height);
        else plot.SavePng(path, width, height);
        return (steps.Count, validation.Values.Select(v => v.Count).DefaultIfEmpty(0).Max());
    }
}
