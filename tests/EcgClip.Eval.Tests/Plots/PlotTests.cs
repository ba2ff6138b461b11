using EcgClip.Eval.Metrics;
using EcgClip.Eval.Plots;
using EcgClip.Eval.Tests.Fixtures;
using EcgClip.Eval.Tests.Reporting;
using SkiaSharp;

namespace EcgClip.Eval.Tests.Plots;

public sealed class PlotTests
{
    /// <summary>Okabe–Ito blue and vermilion: the first two series colours.</summary>
    private static readonly SKColor s_first = SKColor.Parse("#0072B2"), s_second = SKColor.Parse("#D55E00");

    [Fact]
    public void Compute_SklearnPrecisionRecallCurve_Matches()
    {
        foreach (var c in ProbeOracle.Root.GetProperty("pr_curve").EnumerateArray())
        {
            var curve = PrecisionRecallCurve.Compute(c.Doubles("scores"), c.Bools("labels"))!;
            Assert.Equal(c.Doubles("precision"), curve.Precision);
            Assert.Equal(c.Doubles("recall"), curve.Recall);
        }
        Assert.Null(PrecisionRecallCurve.Compute([0.1, 0.2], [false, false]));
    }

    [Fact]
    public void Save_PrecisionRecall_WritesPngWithCurves()
    {
        var run = ReportFixturesCache.Report.Models[0].Runs.Last();
        using var tmp = new TempFolder();
        string path = Path.Combine(tmp.Path, "pr.png");
        var drawn = PrecisionRecallPlot.Save(path, run.Test.ToBinaryTaskData(), "PR curves", 640, 480);
        Assert.Equal(run.Test.Names, drawn);
        var png = PngInspector.Inspect(path);
        Assert.Equal((640, 480), (png.Width, png.Height));
        Assert.InRange(png.NonWhiteFraction, 0.01, 0.6);
        Assert.True(png.DistinctColors > 50, $"{png.DistinctColors} colours");
        Assert.True(png.CountNear(s_first) > 300, "first curve drawn");
        Assert.True(png.CountNear(s_second) > 300, "second curve drawn");
    }

    [Fact]
    public void Save_DataEfficiency_WritesPngWithOneLinePerModel()
    {
        var report = ReportFixturesCache.Report;
        using var tmp = new TempFolder();
        string path = Path.Combine(tmp.Path, "efficiency.png");
        var drawn = DataEfficiencyPlot.Save(path, report.Models, "Data efficiency", 640, 480);
        Assert.Equal(["informative", "noise"], drawn);
        var png = PngInspector.Inspect(path);
        Assert.Equal((640, 480), (png.Width, png.Height));
        Assert.InRange(png.NonWhiteFraction, 0.01, 0.8);
        Assert.True(png.CountNear(s_first) > 200, "first model's line drawn");
        Assert.True(png.CountNear(s_second) > 200, "second model's line drawn");
    }
}
