using EcgClip.Eval.Projection;

namespace EcgClip.Eval.Plots;

/// <summary>How <see cref="EmbeddingMapPlot"/> maps embeddings to the plane.</summary>
public enum EmbeddingProjection
{
    /// <summary>The first two principal components (<see cref="Pca"/>).</summary>
    Pca,
    /// <summary>Exact t-SNE (<see cref="Tsne"/>), after a PCA to at most 50 dimensions.</summary>
    Tsne,
}

/// <summary>
/// A 2-D map of ECG embeddings (feature visualisation): each ECG a dot, coloured by its label (e.g. the PTB-XL
/// superclass, "none" for unlabelled), projected by PCA or t-SNE. Written as PNG or SVG.
/// </summary>
public static class EmbeddingMapPlot
{
    /// <summary>Projects <paramref name="embeddings"/> <c>[n, d]</c> and draws them coloured by <paramref name="labels"/>; returns the 2-D coordinates <c>[n, 2]</c>.</summary>
    public static double[] Save(string path, ReadOnlySpan<float> embeddings, int rows, int columns, IReadOnlyList<string> labels,
                                EmbeddingProjection projection = EmbeddingProjection.Pca, string? title = null, int seed = 0, int width = 900, int height = 750)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != rows) throw new ArgumentException($"{labels.Count} labels for {rows} embeddings");
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".png" or ".svg")) throw new ArgumentException($"{path}: the plot is written as .png or .svg, not '{ext}'");
        double[] xy;
        string axes;
        if (projection == EmbeddingProjection.Pca)
        {
            xy = Pca.Project(embeddings, rows, columns, 2, out var ratio);
            axes = $"PC1 ({ratio[0]:P0})|PC2 ({ratio[1]:P0})";
        }
        else
        {
            int k = Math.Min(50, columns);
            var reduced = k < columns ? Pca.Project(embeddings, rows, columns, k, out _).Select(v => (float)v).ToArray() : embeddings.ToArray();
            xy = Tsne.Embed(reduced, rows, k, new TsneOptions { Seed = seed }, out _);
            axes = "t-SNE 1|t-SNE 2";
        }
        var plot = new ScottPlot.Plot();
        var groups = labels.Select((l, i) => (l, i)).GroupBy(t => t.l).OrderByDescending(g => g.Count()).ToList();
        for (int g = 0; g < groups.Count; g++)
        {
            var idx = groups[g].Select(t => t.i).ToArray();
            var sc = plot.Add.ScatterPoints(idx.Select(i => xy[2 * i]).ToArray(), idx.Select(i => xy[2 * i + 1]).ToArray(), PlotPalette.At(g).WithAlpha(0.7));
            sc.MarkerSize = 5;
            sc.LegendText = $"{groups[g].Key} ({idx.Length})";
        }
        var names = axes.Split('|');
        plot.XLabel(names[0]);
        plot.YLabel(names[1]);
        plot.Title(title ?? $"ECG embeddings ({rows}, {(projection == EmbeddingProjection.Pca ? "PCA" : "t-SNE")})");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        if (ext == ".svg") plot.SaveSvg(path, width, height);
        else plot.SavePng(path, width, height);
        return xy;
    }
}
