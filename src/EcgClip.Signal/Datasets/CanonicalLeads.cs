using EcgClip.Signal.Records;

namespace EcgClip.Signal.Datasets;

/// <summary>Reorders a record's channels to the canonical 12 leads (I, II, III, aVR, aVL, aVF, V1–V6).</summary>
public static class CanonicalLeads
{
    /// <summary>Number of canonical leads (12).</summary>
    public const int Count = 12;

    /// <summary>
    /// Returns <paramref name="record"/> with exactly the 12 standard leads in canonical order (other channels dropped;
    /// the first channel wins when a lead appears twice). Returns the same instance when it is already canonical.
    /// </summary>
    /// <exception cref="EcgFormatException">A standard lead is missing; the message names the file and the leads.</exception>
    public static EcgRecord Reorder(EcgRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var byLead = new EcgChannel?[Count];
        foreach (var ch in record.Channels)
            if (ch.Lead is Lead l && byLead[(int)l] is null) byLead[(int)l] = ch;
        var missing = new List<string>();
        for (int i = 0; i < Count; i++) if (byLead[i] is null) missing.Add(LeadNames.Canonical12[i]);
        if (missing.Count > 0)
            throw new EcgFormatException(record.SourcePath ?? record.Name,
                $"missing standard lead(s) {string.Join(", ", missing)} (channels: {string.Join(", ", record.Channels.Select(c => c.Name))})");
        bool same = record.Channels.Count == Count;
        for (int i = 0; same && i < Count; i++) same = ReferenceEquals(record.Channels[i], byLead[i]);
        if (same) return record;
        return new EcgRecord(record.Name, record.SamplingRate, byLead!, record.Metadata, record.Statements, record.Labels, record.SourcePath);
    }
}

/// <summary>Reads one ECG record from a path. Implementations throw <see cref="EcgFormatException"/> or an IO exception for bad input.</summary>
public interface IEcgRecordLoader
{
    /// <summary>Reads the record at <paramref name="path"/> (channels in file order).</summary>
    EcgRecord Load(string path);
}

/// <summary>
/// An <see cref="IEcgRecordLoader"/> that knows which records it holds without touching the file system (e.g. a pack):
/// datasets ask it instead of checking for files.
/// </summary>
public interface IEcgRecordCatalog
{
    /// <summary>Whether the record at <paramref name="path"/> can be loaded.</summary>
    bool Contains(string path);
}

/// <summary>An <see cref="IEcgRecordLoader"/> from a delegate (tests, custom formats).</summary>
public sealed class DelegateRecordLoader : IEcgRecordLoader
{
    private readonly Func<string, EcgRecord> _load;

    /// <summary>Wraps <paramref name="load"/>.</summary>
    public DelegateRecordLoader(Func<string, EcgRecord> load) => _load = load ?? throw new ArgumentNullException(nameof(load));

    /// <inheritdoc />
    public EcgRecord Load(string path) => _load(path);
}
