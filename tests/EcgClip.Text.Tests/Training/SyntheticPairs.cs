using EcgClip.Signal.Datasets;
using EcgClip.Signal.Records;

namespace EcgClip.Text.Tests.Training;

/// <summary>
/// A small ECG–report data set for text-tower training tests: a few distinct reports (repeated, with case and spacing
/// variants that normalise to the same text), each ECG a sine whose frequency depends on its report.
/// </summary>
internal sealed class SyntheticPairs : IEcgTextDataset
{
    public static readonly string[] Reports =
    [
        "Sinus rhythm. Normal ECG.",
        "atrial fibrillation with rapid ventricular response",
        "left bundle branch block",
        "old inferior myocardial infarction",
        "sinusrhythmus, uberdrehter linkstyp",
    ];

    private static readonly string[] s_leads = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"];
    private readonly List<EcgTextItem> _items = [];
    private readonly int _length;

    public SyntheticPairs(int train, int validation = 0, int test = 0, int length = 64)
    {
        _length = length;
        int n = 0;
        foreach (var (count, split) in new[] { (train, DatasetSplit.Train), (validation, DatasetSplit.Validation), (test, DatasetSplit.Test) })
            for (int i = 0; i < count; i++, n++)
            {
                string report = Reports[n % Reports.Length];
                if (n % 2 == 1) report = "  " + report.ToUpperInvariant() + " "; // same normalised text
                _items.Add(new EcgTextItem($"r{n:D4}", $"/synthetic/r{n:D4}", report, [], $"p{n}", split));
            }
    }

    public string Name => "synthetic-pairs";
    public LabelSpace LabelSpace => LabelSpace.Empty;
    public IReadOnlyList<EcgTextItem> Items => _items;
    public IReadOnlyList<SkippedRecord> Skipped => [];
    public double? SamplingRate => 100;

    public EcgRecord LoadRecord(EcgTextItem item)
    {
        int n = int.Parse(item.Id[1..], System.Globalization.CultureInfo.InvariantCulture);
        int cls = n % Reports.Length;
        var rng = new Random(n);
        var channels = s_leads.Select((lead, l) =>
        {
            var x = new double[_length];
            for (int s = 0; s < _length; s++) x[s] = Math.Sin(2 * Math.PI * (cls + 1) * s / _length + l) + 0.1 * rng.NextDouble();
            return new EcgChannel(lead, x);
        }).ToList();
        return new EcgRecord(item.Id, 100, channels);
    }
}
