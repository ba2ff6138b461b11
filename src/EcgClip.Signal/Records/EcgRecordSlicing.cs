namespace EcgClip.Signal.Records;

/// <summary>Sample-range and channel selection on an <see cref="EcgRecord"/>.</summary>
public static class EcgRecordSlicing
{
    /// <summary>
    /// A record with samples [<paramref name="from"/>, <paramref name="to"/>) (0-based, <paramref name="to"/> exclusive)
    /// of the channels <paramref name="channels"/> (indices in <see cref="EcgRecord.Channels"/>, in the given order;
    /// null = all). Throws <see cref="ArgumentOutOfRangeException"/> for ranges or indices outside the record.
    /// </summary>
    public static EcgRecord Slice(EcgRecord record, long from = 0, long? to = null, IReadOnlyList<int>? channels = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        long end = to ?? record.SampleCount;
        if (from < 0) throw new ArgumentOutOfRangeException(null, "'from' must be >= 0");
        if (end > record.SampleCount) throw new ArgumentOutOfRangeException(null, $"record '{record.Name}' has {record.SampleCount} samples; 'to' must not exceed it");
        if (from > end) throw new ArgumentOutOfRangeException(null, $"'from' ({from}) must not exceed 'to' ({end})");
        var picked = new List<EcgChannel>();
        foreach (int c in channels ?? Enumerable.Range(0, record.Channels.Count).ToArray())
        {
            if (c < 0 || c >= record.Channels.Count)
                throw new ArgumentOutOfRangeException(null, $"channel {c} does not exist (record '{record.Name}' has {record.Channels.Count} channels, 0–{record.Channels.Count - 1})");
            var ch = record.Channels[c];
            if (from == 0 && end == record.SampleCount) { picked.Add(ch); continue; }
            int a = (int)from, n = (int)(end - from);
            picked.Add(new EcgChannel(ch.Name, ch.Physical.AsSpan(a, n).ToArray(), ch.Digital?.AsSpan(a, n).ToArray(), ch.Gain, ch.Baseline, ch.Units, ch.InvalidValue));
        }
        return new EcgRecord(record.Name, record.SamplingRate, picked, record.Metadata, record.Statements, record.Labels, record.SourcePath);
    }
}
