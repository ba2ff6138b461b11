namespace EcgClip.Signal.Formats.Wfdb;

/// <summary>What a WFDB reader does when a header's checksum disagrees with the signal file (an initial-value mismatch is only ever a warning).</summary>
public enum WfdbChecksumPolicy
{
    /// <summary>Throw <see cref="Records.EcgFormatException"/> (default).</summary>
    Error,
    /// <summary>Report through <see cref="WfdbReadOptions.Warning"/> and continue.</summary>
    Warn,
    /// <summary>Do not verify.</summary>
    Ignore,
}

/// <summary>Options for <see cref="WfdbReader"/>.</summary>
public sealed record WfdbReadOptions
{
    /// <summary>The default options: verify checksums (error on mismatch), whole record, all channels, low resolution.</summary>
    public static WfdbReadOptions Default { get; } = new();

    /// <summary>Checksum and initial-value verification policy.</summary>
    public WfdbChecksumPolicy Checksums { get; init; } = WfdbChecksumPolicy.Error;

    /// <summary>Receives warnings (checksum mismatches under <see cref="WfdbChecksumPolicy.Warn"/>).</summary>
    public Action<string>? Warning { get; init; }

    /// <summary>First sample to return (0-based, inclusive, in output samples).</summary>
    public long From { get; init; }

    /// <summary>End sample (exclusive, in output samples); null = end of record.</summary>
    public long? To { get; init; }

    /// <summary>Signal indices (0-based, header order) to return, in this order; null = all.</summary>
    public IReadOnlyList<int>? Channels { get; init; }

    /// <summary>
    /// False (default, like <c>rdsamp</c>): one sample per frame, signals with several samples per frame averaged
    /// (C integer division). True (like <c>rdsamp -H</c>): the highest samples-per-frame rate, slower signals repeated.
    /// </summary>
    public bool HighResolution { get; init; }

    /// <summary>Largest number of samples (all channels together, default 2^26 ≈ 67 M, about 800 MB of output) one read may return; guards against absurd header sizes. Raise it for very long records or read ranges.</summary>
    public long MaxSamples { get; init; } = 1L << 26;
}
