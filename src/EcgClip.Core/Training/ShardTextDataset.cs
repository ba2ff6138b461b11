using System.Globalization;
using EcgClip.Signal.Datasets;
using EcgClip.Signal.Records;
using EcgClip.Signal.Shards;

namespace EcgClip.Core.Training;

/// <summary>
/// A shard folder written by <c>ecgclip dataset build</c> as an <see cref="IEcgTextDataset"/> for pretraining
/// (<c>--data shards:&lt;dir&gt;</c>): items, reports, labels and splits from the shard metadata; signals decoded from the
/// memory-mapped samples on demand (float32 mV, canonical leads). Invalid (NaN) samples stay NaN, so the preprocessing's
/// non-finite repair decides. Dispose to unmap.
/// </summary>
public sealed class ShardTextDataset : IEcgTextDataset, IDisposable
{
    private readonly ShardReader _reader;
    private static readonly string[] LeadNames = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"];

    private ShardTextDataset(ShardReader reader, string directory)
    {
        _reader = reader;
        Name = "shards-" + Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
        var items = new EcgTextItem[reader.Count];
        for (int i = 0; i < items.Length; i++)
        {
            var info = reader.GetInfo(i);
            items[i] = new EcgTextItem(info.Id, i.ToString(CultureInfo.InvariantCulture), info.Report, info.Labels, info.PatientId, info.Split) { Fold = info.Fold, Targets = info.Targets };
        }
        Items = items;
        var rates = Enumerable.Range(0, reader.Count).Select(reader.SamplingRate).Distinct().ToList();
        SamplingRate = rates.Count == 1 && rates[0] > 0 ? rates[0] : null;
    }

    /// <summary>Opens the shard folder <paramref name="directory"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static ShardTextDataset Open(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"shard folder not found: {directory}");
        return new ShardTextDataset(ShardReader.Open(directory), directory);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public LabelSpace LabelSpace => _reader.LabelSpace;

    /// <inheritdoc />
    public IReadOnlyList<EcgTextItem> Items { get; }

    /// <inheritdoc />
    public IReadOnlyList<SkippedRecord> Skipped => [];

    /// <inheritdoc />
    public double? SamplingRate { get; }

    /// <inheritdoc />
    public EcgRecord LoadRecord(EcgTextItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!int.TryParse(item.RecordPath, NumberStyles.None, CultureInfo.InvariantCulture, out int i) || (uint)i >= (uint)_reader.Count)
            throw new EcgFormatException(item.RecordPath, "not a record index of this shard folder");
        int n = _reader.SampleCount(i), leads = _reader.Leads;
        var buffer = new float[leads * n];
        _reader.ReadSamples(i, buffer);
        var channels = new EcgChannel[leads];
        for (int l = 0; l < leads; l++)
        {
            var x = new double[n];
            for (int s = 0; s < n; s++) x[s] = buffer[l * n + s];
            channels[l] = new EcgChannel(LeadNames[l], x);
        }
        return new EcgRecord(item.Id, _reader.SamplingRate(i), channels);
    }

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();
}
