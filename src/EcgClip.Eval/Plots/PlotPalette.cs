namespace EcgClip.Eval.Plots;

/// <summary>A colour-blind-safe categorical palette (Okabe &amp; Ito 2008), cycled.</summary>
internal static class PlotPalette
{
    private static readonly ScottPlot.Color[] s_colors =
    [
        ScottPlot.Color.FromHex("#0072B2"), ScottPlot.Color.FromHex("#D55E00"), ScottPlot.Color.FromHex("#009E73"),
        ScottPlot.Color.FromHex("#CC79A7"), ScottPlot.Color.FromHex("#E69F00"), ScottPlot.Color.FromHex("#56B4E9"),
        ScottPlot.Color.FromHex("#F0E442"), ScottPlot.Color.FromHex("#000000"),
    ];

    public static ScottPlot.Color At(int index) => s_colors[index % s_colors.Length];
}
