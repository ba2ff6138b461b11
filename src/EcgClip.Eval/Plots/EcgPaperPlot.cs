using EcgClip.Eval.Saliency;
using EcgClip.Signal.Records;

namespace EcgClip.Eval.Plots;

/// <summary>Options of <see cref="EcgPaperPlot"/>.</summary>
public sealed record EcgPaperPlotOptions
{
    /// <summary>Paper speed (mm/s; default 25, the clinical standard).</summary>
    public double MillimetresPerSecond { get; init; } = 25;

    /// <summary>Gain (mm/mV; default 10, the clinical standard).</summary>
    public double MillimetresPerMillivolt { get; init; } = 10;

    /// <summary>Output resolution in pixels per millimetre (default 6: a 10 s strip is about 1,600 pixels wide).</summary>
    public double PixelsPerMillimetre { get; init; } = 6;

    /// <summary>Title above the grid (e.g. the record name and the model's top findings); null for none.</summary>
    public string? Title { get; init; }

    /// <summary>Lead of the 10 s rhythm strip below the 3×4 grid (default II).</summary>
    public Lead RhythmLead { get; init; } = Lead.II;
}

/// <summary>
/// The standard clinical 12-lead layout on ECG paper: a 3×4 grid of 2.5 s columns (I, II, III | aVR, aVL, aVF | V1–V3 |
/// V4–V6) above a 10 s rhythm strip, on a 1 mm / 5 mm grid at 25 mm/s and 10 mm/mV, with a 1 mV calibration pulse at
/// the start of each row. An optional saliency map shades the paper behind each trace (darker = more attribution),
/// per lead for gradient methods and integrated gradients, or the same row for every lead for Grad-CAM.
/// Written as PNG or SVG (by the file extension) through ScottPlot, headless.
/// </summary>
public static class EcgPaperPlot
{
    private static readonly Lead[,] s_grid =
    {
        { Lead.I, Lead.AVR, Lead.V1, Lead.V4 },
        { Lead.II, Lead.AVL, Lead.V2, Lead.V5 },
        { Lead.III, Lead.AVF, Lead.V3, Lead.V6 },
    };

    private const double RowPitchMm = 30;       // 3 mV between baselines
    private const double CalibrationMm = 7;     // room for the 1 mV pulse (0.2 s wide at 25 mm/s) before the traces
    private const double ColumnSeconds = 2.5;

    /// <summary>
    /// Draws <paramref name="record"/> (any lead order; limb leads derived where missing) to <paramref name="path"/>
    /// (<c>.png</c> or <c>.svg</c>). Shows the first 10 s (shorter records leave the rest of the paper empty).
    /// </summary>
    /// <param name="path">Output file; the extension picks the format.</param>
    /// <param name="record">The ECG, in mV.</param>
    /// <param name="options">Paper speed, gain, resolution, title.</param>
    /// <param name="saliency">Optional attributions of this ECG (<see cref="SaliencyMap"/> with 12 leads or 1 row, any sample count: mapped onto the record's time axis).</param>
    /// <param name="saliencyIndex">Which ECG of <paramref name="saliency"/>'s batch.</param>
    /// <exception cref="ArgumentException">The extension is neither .png nor .svg, or the saliency map has another lead count.</exception>
    public static void Save(string path, EcgRecord record, EcgPaperPlotOptions? options = null, SaliencyMap? saliency = null, int saliencyIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(record);
        options ??= new EcgPaperPlotOptions();
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".png" or ".svg")) throw new ArgumentException($"{path}: the plot is written as .png or .svg, not '{ext}'");
        if (saliency is not null && saliency.Leads is not (1 or 12))
            throw new ArgumentException($"saliency map has {saliency.Leads} leads; expected 12 (per lead) or 1 (Grad-CAM)");
        var ecg = EcgLeadLayout.ToCanonical12(record);
        double speed = options.MillimetresPerSecond, gain = options.MillimetresPerMillivolt;
        double widthMm = CalibrationMm + 4 * ColumnSeconds * speed;
        double heightMm = 4 * RowPitchMm;
        var plot = new ScottPlot.Plot();
        DrawGrid(plot, widthMm, heightMm);
        double[]? shade = saliency is null ? null : NormalisedMagnitude(saliency, saliencyIndex);
        var ink = ScottPlot.Color.FromHex("#111111");
        for (int row = 0; row < 4; row++)
        {
            double baseline = heightMm - RowPitchMm * (row + 0.5);
            DrawCalibration(plot, baseline, speed, gain, ink);
            for (int col = 0; col < (row < 3 ? 4 : 1); col++)
            {
                Lead lead = row < 3 ? s_grid[row, col] : options.RhythmLead;
                double fromS = row < 3 ? col * ColumnSeconds : 0, toS = row < 3 ? fromS + ColumnSeconds : 4 * ColumnSeconds;
                double x0 = CalibrationMm + fromS * speed;
                var channel = ecg.Channels[(int)lead];
                int from = (int)Math.Round(fromS * ecg.SamplingRate), to = Math.Min(channel.Length, (int)Math.Round(toS * ecg.SamplingRate));
                if (shade is not null && to > from) DrawShade(plot, shade, saliency!, (int)lead, from, to, ecg.SampleCount, x0, ecg.SamplingRate, speed, baseline);
                if (to > from)
                {
                    var xs = new double[to - from];
                    var ys = new double[to - from];
                    for (int i = from; i < to; i++)
                    {
                        xs[i - from] = x0 + (i - from) / ecg.SamplingRate * speed;
                        double v = channel.Physical[i];
                        ys[i - from] = double.IsFinite(v) ? baseline + v * gain : double.NaN;
                    }
                    var trace = plot.Add.ScatterLine(xs, ys, ink);
                    trace.LineWidth = 1.3f;
                }
                var label = plot.Add.Text(LeadNames.Name(lead), x0 + 1, baseline + 10);
                label.LabelFontSize = 13;
                label.LabelBold = true;
                label.LabelFontColor = ink;
                if (row < 3 && col > 0)
                {
                    var tick = plot.Add.Line(x0, baseline - 2.5, x0, baseline + 2.5);
                    tick.Color = ink;
                    tick.LineWidth = 1;
                }
            }
        }
        var footer = $"{speed:0.#} mm/s   {gain:0.#} mm/mV   {ecg.SamplingRate:0.#} Hz";
        var foot = plot.Add.Text(footer, widthMm - 2, 2);
        foot.LabelAlignment = ScottPlot.Alignment.LowerRight;
        foot.LabelFontSize = 11;
        foot.LabelFontColor = ink;
        if (options.Title is { } title) plot.Title(title);
        plot.Axes.SetLimits(0, widthMm, 0, heightMm);
        plot.HideGrid();
        foreach (var axis in plot.Axes.GetAxes()) axis.IsVisible = false;
        plot.Axes.Margins(0, 0);
        int width = (int)Math.Round(widthMm * options.PixelsPerMillimetre), height = (int)Math.Round(heightMm * options.PixelsPerMillimetre) + (options.Title is null ? 0 : 40);
        if (ext == ".svg") plot.SaveSvg(path, width, height);
        else plot.SavePng(path, width, height);
    }

    private static void DrawGrid(ScottPlot.Plot plot, double widthMm, double heightMm)
    {
        var bg = plot.Add.Rectangle(0, widthMm, 0, heightMm);
        bg.FillColor = ScottPlot.Color.FromHex("#FFF5F5");
        bg.LineWidth = 0;
        var minor = ScottPlot.Color.FromHex("#F6C6C6");
        var major = ScottPlot.Color.FromHex("#E88A8A");
        for (int mm = 0; mm <= (int)Math.Floor(widthMm); mm++)
        {
            var l = plot.Add.VerticalLine(mm, mm % 5 == 0 ? 0.9f : 0.4f, mm % 5 == 0 ? major : minor);
            l.ExcludeFromLegend = true;
        }
        for (int mm = 0; mm <= (int)Math.Floor(heightMm); mm++)
        {
            var l = plot.Add.HorizontalLine(mm, mm % 5 == 0 ? 0.9f : 0.4f, mm % 5 == 0 ? major : minor);
            l.ExcludeFromLegend = true;
        }
    }

    private static void DrawCalibration(ScottPlot.Plot plot, double baseline, double speed, double gain, ScottPlot.Color ink)
    {
        // 1 mV for 0.2 s, starting 1 mm in.
        double x0 = 1, w = 0.2 * speed;
        var pulse = plot.Add.ScatterLine(new[] { x0 - 1, x0, x0, x0 + w, x0 + w, x0 + w + 1 }, new[] { baseline, baseline, baseline + gain, baseline + gain, baseline, baseline }, ink);
        pulse.LineWidth = 1.3f;
    }

    // |attribution| per lead and sample, scaled so that the ECG's 99th percentile is 1 (robust to a few spikes).
    private static double[] NormalisedMagnitude(SaliencyMap map, int b)
    {
        var v = map.Of(b);
        var abs = new double[v.Length];
        for (int i = 0; i < v.Length; i++) abs[i] = Math.Abs(v[i]);
        var sorted = (double[])abs.Clone();
        Array.Sort(sorted);
        double scale = sorted.Length == 0 ? 1 : sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(0.99 * sorted.Length))];
        if (!(scale > 0)) scale = sorted.Length == 0 ? 1 : Math.Max(sorted[^1], 1e-30);
        for (int i = 0; i < abs.Length; i++) abs[i] = Math.Min(1, abs[i] / scale);
        return abs;
    }

    private static void DrawShade(ScottPlot.Plot plot, double[] shade, SaliencyMap map, int lead, int from, int to, int recordSamples,
                                  double x0, double fs, double speed, double baseline)
    {
        int row = map.Leads == 1 ? 0 : lead;
        // Shade in blocks of 0.04 s (1 mm at 25 mm/s): the mean attribution of the block sets the opacity.
        int block = Math.Max(1, (int)Math.Round(0.04 * fs));
        for (int s = from; s < to; s += block)
        {
            int e = Math.Min(to, s + block);
            double sum = 0;
            for (int i = s; i < e; i++)
            {
                int j = (int)((long)i * map.Samples / Math.Max(1, recordSamples));
                sum += shade[row * map.Samples + Math.Min(map.Samples - 1, j)];
            }
            double a = sum / (e - s);
            if (a < 0.05) continue;
            double left = x0 + (s - from) / fs * speed, right = x0 + (e - from) / fs * speed;
            var r = plot.Add.Rectangle(left, right, baseline - RowPitchMm / 2 + 1, baseline + RowPitchMm / 2 - 1);
            r.FillColor = ScottPlot.Color.FromHex("#1E64C8").WithAlpha(0.55 * a);
            r.LineWidth = 0;
        }
    }
}
