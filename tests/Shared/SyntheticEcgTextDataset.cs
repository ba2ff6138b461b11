using EcgClip.Signal.Datasets;
using EcgClip.Signal.Records;

namespace EcgClip.Testing;

/// <summary>
/// A small ECG–report data set for training tests: item <c>n</c> has report <c>reports[n % count]</c> and a 12-lead ECG
/// whose sine frequency depends on that report (so there is something to learn), plus seeded noise. With
/// <c>variantSpellings</c> every other report is upper-cased and padded (the same normalised text); ids in
/// <c>corrupt</c> fail to load with an <see cref="EcgFormatException"/>.
/// </summary>
internal class SyntheticEcgTextDataset : IEcgTextDataset
{
    private static readonly string[] s_leads = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"];
    private readonly List<EcgTextItem> _items = [];
    private readonly int _reportCount;
    private readonly int _length;
    private readonly string[] _corrupt;

    public SyntheticEcgTextDataset(string name, IReadOnlyList<string> reports, int train, int validation, int test, int length,
        bool variantSpellings = false, params string[] corrupt)
    {
        Name = name;
        _reportCount = reports.Count;
        _length = length;
        _corrupt = corrupt;
        int n = 0;
        foreach (var (count, split) in new[] { (train, DatasetSplit.Train), (validation, DatasetSplit.Validation), (test, DatasetSplit.Test) })
            for (int i = 0; i < count; i++, n++)
            {
                string report = reports[n % reports.Count];
                if (variantSpellings && n % 2 == 1) report = "  " + report.ToUpperInvariant() + " ";
                _items.Add(new EcgTextItem($"r{n:D4}", $"/synthetic/r{n:D4}", report, [], $"p{n}", split));
            }
    }

    public string Name { get; }
    public LabelSpace LabelSpace => LabelSpace.Empty;
    public IReadOnlyList<EcgTextItem> Items => _items;
    public IReadOnlyList<SkippedRecord> Skipped => [];
    public double? SamplingRate => 100;

    public EcgRecord LoadRecord(EcgTextItem item)
    {
        if (_corrupt.Contains(item.Id)) throw new EcgFormatException($"{item.RecordPath}.dat", "truncated signal file");
        int n = int.Parse(item.Id[1..], System.Globalization.CultureInfo.InvariantCulture);
        int cls = n % _reportCount;
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
