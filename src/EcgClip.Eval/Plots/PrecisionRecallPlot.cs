using System.Globalization;
using EcgClip.Eval.Metrics;

namespace EcgClip.Eval.Plots;

/// <summary>
/// Renders precision–recall curves (one step curve per task, legend with its PRAUC and prevalence, and the
/// prevalence of each task as its no-skill level) to a PNG with ScottPlot; headless, no display needed.
/// </summary>
public static class PrecisionRecallPlot
{
    /// <summary>Writes the curves of every task of <paramref name="data"/> with a positive to <paramref name="path"/>.</summary>
    /// <param name="path">Output .png path (overwritten).</param>
    /// <param name="data">Labels and scores.</param>
    /// <param name="title">Plot title.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <returns>The names of the tasks drawn (tasks without a positive have no curve).</returns>
    public static IReadOnlyList<string> Save(string path, BinaryTaskData data, string title, int width = 900, int height = 700)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(data);
        var plot = new ScottPlot.Plot();
        var drawn = new List<string>();
        for (int t = 0; t < data.TaskCount; t++)
        {
            var ranking = TaskRanking.Build(data.Scores(t), data.Labels(t));
            var curve = PrecisionRecallCurve.From(ranking);
            if (curve is null) continue;
            var color = PlotPalette.At(drawn.Count);
            var line = plot.Add.Scatter(curve.Recall.ToArray(), curve.Precision.ToArray(), color);
            line.ConnectStyle = ScottPlot.ConnectStyle.StepHorizontal; // precision of point k holds from recall k down to recall k−1 (the AP sum)
            line.MarkerSize = 0;
            line.LineWidth = 2;
            double prevalence = ranking.Positives / (double)data.SampleCount;
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{data.TaskNames[t]} (PRAUC {ranking.AveragePrecision():F3}, prev. {prevalence:F3})");
            var chance = plot.Add.HorizontalLine(prevalence, 1, color);
            chance.LinePattern = ScottPlot.LinePattern.Dotted;
            drawn.Add(data.TaskNames[t]);
        }
        plot.Title(title);
        plot.XLabel("Recall");
        plot.YLabel("Precision");
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.ShowLegend(ScottPlot.Alignment.LowerLeft);
        plot.SavePng(path, width, height);
        return drawn;
    }
}
