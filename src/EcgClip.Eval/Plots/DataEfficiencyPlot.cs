using EcgClip.Eval.Protocols;
using EcgClip.Eval.Reporting;

namespace EcgClip.Eval.Plots;

/// <summary>
/// Renders macro PRAUC against the label fraction (log-scaled axis), one line per model through the mean over seeds,
/// with a shaded band from the mean lower to the mean upper bootstrap bound of the seeds' runs, to a PNG.
/// </summary>
public static class DataEfficiencyPlot
{
    /// <summary>Writes the plot of the classification models in <paramref name="results"/> to <paramref name="path"/>.</summary>
    /// <param name="path">Output .png path (overwritten).</param>
    /// <param name="results">Models (regression results are skipped).</param>
    /// <param name="title">Plot title.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <returns>The names of the models drawn.</returns>
    public static IReadOnlyList<string> Save(string path, IReadOnlyList<DataEfficiencyResult> results, string title, int width = 900, int height = 600)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(results);
        var plot = new ScottPlot.Plot();
        var drawn = new List<string>();
        var fractions = new SortedSet<double>();
        foreach (var model in results)
        {
            var points = model.Fractions.Where(f => f.MacroAveragePrecision is { Count: > 0 }).ToArray();
            if (points.Length == 0) continue;
            var color = PlotPalette.At(drawn.Count);
            var xs = points.Select(f => Math.Log10(f.Fraction)).ToArray();
            var mean = points.Select(f => f.MacroAveragePrecision!.Mean).ToArray();
            var lower = points.Select(f => MeanBound(f, upper: false)).ToArray();
            var upper = points.Select(f => MeanBound(f, upper: true)).ToArray();
            if (lower.All(double.IsFinite) && upper.All(double.IsFinite))
            {
                var band = plot.Add.FillY(xs, upper, lower);
                band.FillStyle.Color = color.WithAlpha(0.2);
                band.LineStyle.Width = 0;
            }
            var line = plot.Add.Scatter(xs, mean, color);
            line.LineWidth = 2;
            line.MarkerSize = 8;
            line.LegendText = model.Model;
            foreach (var f in points) fractions.Add(f.Fraction);
            drawn.Add(model.Model);
        }
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (double f in fractions) ticks.AddMajor(Math.Log10(f), Format.Percent(f));
        plot.Axes.Bottom.TickGenerator = ticks;
        if (fractions.Count > 0)
        {
            double lo = Math.Log10(fractions.Min), hi = Math.Log10(fractions.Max);
            double pad = Math.Max(0.1, (hi - lo) * 0.08);
            plot.Axes.SetLimitsX(lo - pad, hi + pad);
        }
        plot.Title(title);
        plot.XLabel("Fraction of training labels");
        plot.YLabel("Macro PRAUC (mean over seeds; band: bootstrap CI)");
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        plot.SavePng(path, width, height);
        return drawn;
    }

    private static double MeanBound(FractionSummary f, bool upper)
    {
        var bounds = f.Runs.Select(r => r.Ranking?.MacroAveragePrecision.Interval).Where(ci => ci is not null).Select(ci => upper ? ci!.Value.Upper : ci!.Value.Lower).ToArray();
        return bounds.Length == 0 ? double.NaN : bounds.Average();
    }
}
