using EcgClip.Signal.Datasets;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Tests.Shards;

/// <summary>An in-memory dataset of random 12-lead records (deterministic per id); ids in <see cref="Failing"/> throw on load.</summary>
internal sealed class SyntheticDataset : IEcgTextDataset
{
    private readonly Func<int, int> _length;
    public int Loads;

    public SyntheticDataset(int count, Func<int, int>? length = null, double fs = 100, IEnumerable<int>? failing = null, bool shuffledLeads = false, bool withNaN = false)
    {
        _length = length ?? (_ => 1000);
        Failing = new HashSet<string>((failing ?? []).Select(i => i.ToString()));
        SamplingRate = fs;
        ShuffledLeads = shuffledLeads;
        WithNaN = withNaN;
        LabelSpace = new LabelSpace(["A", "B", "C"]);
        Items = Enumerable.Range(0, count).Select(i => new EcgTextItem(i.ToString(), $"mem://{i}", $"report {i}, \"quoted\"\nline",
            LabelSpace.Names.Where((_, k) => ((i >> k) & 1) == 1).ToArray(), "p" + (i / 3), (DatasetSplit)(i % 3)) { Fold = i % 10 }).ToList();
    }

    public HashSet<string> Failing { get; }
    public bool ShuffledLeads { get; }
    public bool WithNaN { get; }
    public string Name => "synthetic";
    public LabelSpace LabelSpace { get; }
    public IReadOnlyList<EcgTextItem> Items { get; }
    public IReadOnlyList<SkippedRecord> Skipped { get; } = [new SkippedRecord("x", "mem://x", "dataset-level skip")];
    public double? SamplingRate { get; }

    public EcgRecord Raw(int i)
    {
        var rng = new Random(i * 7919 + 1);
        int n = _length(i);
        var channels = new List<EcgChannel>();
        for (int l = 0; l < 12; l++)
        {
            var x = new double[n];
            double amp = 0.05 + 5 * rng.NextDouble();
            for (int t = 0; t < n; t++) x[t] = amp * (2 * rng.NextDouble() - 1);
            if (l == 3) Array.Clear(x); // a flat lead (scale fallback)
            if (WithNaN && l == 5 && n > 10) x[7] = double.NaN;
            channels.Add(new EcgChannel(LeadNames.Canonical12[l], x));
        }
        if (ShuffledLeads) channels.Reverse();
        return new EcgRecord(i.ToString(), SamplingRate ?? 100, channels);
    }

    public EcgRecord LoadRecord(EcgTextItem item)
    {
        Interlocked.Increment(ref Loads);
        if (Failing.Contains(item.Id)) throw new EcgFormatException(item.RecordPath, "synthetic failure");
        return CanonicalLeads.Reorder(Raw(int.Parse(item.Id)));
    }
}
