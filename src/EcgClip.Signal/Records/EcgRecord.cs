namespace EcgClip.Signal.Records;

/// <summary>Patient and acquisition metadata; every field optional because formats differ in what they carry.</summary>
public sealed record EcgMetadata
{
    /// <summary>Age in years.</summary>
    public double? Age { get; init; }
    /// <summary>"M", "F" or null.</summary>
    public string? Sex { get; init; }
    /// <summary>Patient identifier as given by the source.</summary>
    public string? PatientId { get; init; }
    /// <summary>Record/ECG identifier as given by the source.</summary>
    public string? RecordId { get; init; }
    /// <summary>Acquisition time, when the format carries it.</summary>
    public DateTimeOffset? AcquisitionTime { get; init; }
    /// <summary>Anything else the format carries (e.g. device, site), by name.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// An ECG recording as read from any format: channels in the file's order, a sampling rate, metadata,
/// free-text statements/report and labels. Immutable once built.
/// </summary>
public sealed class EcgRecord
{
    /// <summary>Creates a record. All channels must have the same length.</summary>
    public EcgRecord(string name, double samplingRate, IReadOnlyList<EcgChannel> channels,
                     EcgMetadata? metadata = null, IReadOnlyList<string>? statements = null,
                     IReadOnlyList<string>? labels = null, string? sourcePath = null)
    {
        ArgumentNullException.ThrowIfNull(channels);
        if (!(samplingRate > 0) || double.IsInfinity(samplingRate))
            throw new ArgumentOutOfRangeException(nameof(samplingRate), samplingRate, "sampling rate must be positive and finite (Hz)");
        int length = channels.Count == 0 ? 0 : channels[0].Length;
        foreach (var c in channels)
            if (c.Length != length)
                throw new ArgumentException($"record '{name}': channel '{c.Name}' has {c.Length} samples, expected {length}");
        Name = name;
        SamplingRate = samplingRate;
        Channels = channels;
        Metadata = metadata ?? new EcgMetadata();
        Statements = statements ?? [];
        Labels = labels ?? [];
        SourcePath = sourcePath;
    }

    /// <summary>Record name (e.g. "00001_lr").</summary>
    public string Name { get; }
    /// <summary>Samples per second per channel (Hz).</summary>
    public double SamplingRate { get; }
    /// <summary>Channels in file order.</summary>
    public IReadOnlyList<EcgChannel> Channels { get; }
    /// <summary>Patient and acquisition metadata.</summary>
    public EcgMetadata Metadata { get; }
    /// <summary>Free-text statements / report lines, in order.</summary>
    public IReadOnlyList<string> Statements { get; }
    /// <summary>Diagnostic labels or codes (e.g. SNOMED CT codes, SCP codes).</summary>
    public IReadOnlyList<string> Labels { get; }
    /// <summary>The file it was read from, if any.</summary>
    public string? SourcePath { get; }
    /// <summary>Samples per channel.</summary>
    public int SampleCount => Channels.Count == 0 ? 0 : Channels[0].Length;
    /// <summary>Duration in seconds.</summary>
    public double DurationSeconds => SampleCount / SamplingRate;
    /// <summary>The report: the statements joined by ". ".</summary>
    public string Report => string.Join(". ", Statements);
}
