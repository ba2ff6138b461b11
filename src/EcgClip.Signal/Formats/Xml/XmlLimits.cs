namespace EcgClip.Signal.Formats.Xml;

/// <summary>Hard bounds applied to untrusted XML ECG input (so that hostile files cannot exhaust memory or time).</summary>
internal static class XmlLimits
{
    /// <summary>Largest accepted document, in characters (a 10 s 12-lead export is well under 1 M characters).</summary>
    public const long MaxCharactersInDocument = 32L * 1024 * 1024;

    /// <summary>Largest accepted input in bytes (checked up front when the stream can seek).</summary>
    public const long MaxBytes = 2 * MaxCharactersInDocument;

    /// <summary>Most samples accepted per lead (about 70 minutes at 1 kHz).</summary>
    public const int MaxSamplesPerLead = 1 << 22;

    /// <summary>Most bytes any single decompressed or decoded waveform block may produce.</summary>
    public const int MaxDecodedBytesPerBlock = 2 * MaxSamplesPerLead;

    /// <summary>Most leads / sequences / waveform blocks accepted in one waveform set.</summary>
    public const int MaxLeads = 64;

    /// <summary>Deepest element nesting accepted (the vendor schemas nest at most about 25 levels).</summary>
    public const int MaxDepth = 128;

    /// <summary>Most statements kept from one file.</summary>
    public const int MaxStatements = 1000;
}
