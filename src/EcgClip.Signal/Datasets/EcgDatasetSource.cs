namespace EcgClip.Signal.Datasets;

/// <summary>Options shared by every kind of <see cref="EcgDatasetSource"/>.</summary>
public sealed record EcgDatasetSourceOptions
{
    /// <summary>PTB-XL: 100 or 500 Hz (default 100). The embedded data set is 100 Hz only.</summary>
    public int SamplingRate { get; init; } = 100;

    /// <summary>PTB-XL label set (default superdiagnostic).</summary>
    public PtbXlLabelSet LabelSet { get; init; } = PtbXlLabelSet.Superdiagnostic;

    /// <summary>PTB-XL: minimum likelihood of diagnostic statements (default 0, keep all).</summary>
    public double MinLikelihood { get; init; }

    /// <summary>CinC/manifest: seed of the patient-level split hash (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>CinC: the scoring folder; null = <c>cinc2021_scoring</c> beside the records folder.</summary>
    public string? CincScoringDirectory { get; init; }
}

/// <summary>
/// Parses a data source specification, as the CLI's <c>--data</c>/<c>--source</c> take it, and opens it as an
/// <see cref="IEcgTextDataset"/>: <c>embedded</c> (the PTB-XL subset shipped with EcgClip), <c>ptbxl:&lt;dir&gt;</c>,
/// <c>cinc:&lt;dir&gt;</c> or <c>manifest:&lt;csv&gt;</c>.
/// </summary>
public static class EcgDatasetSource
{
    /// <summary>The specification of the embedded default data set.</summary>
    public const string Embedded = "embedded";

    /// <summary>What the specification may look like, for error messages and help texts.</summary>
    public const string Forms = "embedded, ptbxl:<dir>, cinc:<dir> or manifest:<csv>";

    /// <summary>Splits <paramref name="spec"/> into its kind (lower case) and path ("" for <c>embedded</c>).</summary>
    /// <exception cref="ArgumentException">The specification has no known kind or no path.</exception>
    public static (string Kind, string Path) Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string s = spec.Trim();
        if (s.Equals(Embedded, StringComparison.OrdinalIgnoreCase)) return (Embedded, "");
        int colon = s.IndexOf(':');
        if (colon <= 0) throw new ArgumentException($"data source must be {Forms}, got '{spec}'");
        string kind = s[..colon].ToLowerInvariant(), path = s[(colon + 1)..];
        if (kind is not ("ptbxl" or "cinc" or "manifest")) throw new ArgumentException($"data source kind must be embedded, ptbxl, cinc or manifest, got '{kind}' in '{spec}'");
        if (path.Length == 0) throw new ArgumentException($"data source '{spec}' names no path");
        return (kind, path);
    }

    /// <summary>Opens the data source <paramref name="spec"/> (see the class remarks).</summary>
    /// <exception cref="ArgumentException">The specification or an option is invalid.</exception>
    /// <exception cref="DirectoryNotFoundException">A folder does not exist.</exception>
    /// <exception cref="Records.EcgFormatException">A table is malformed (names the file and the reason).</exception>
    public static IEcgTextDataset Open(string spec, EcgDatasetSourceOptions? options = null)
    {
        options ??= new EcgDatasetSourceOptions();
        var (kind, path) = Parse(spec);
        var ptbxl = new PtbXlOptions { SamplingRate = options.SamplingRate, LabelSet = options.LabelSet, MinLikelihood = options.MinLikelihood };
        return kind switch
        {
            Embedded => EmbeddedPtbXl.Load(ptbxl),
            "ptbxl" => PtbXlDataset.Load(path, ptbxl),
            "cinc" => CincDataset.Load(path, options.CincScoringDirectory
                ?? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path).TrimEnd('/', '\\')) ?? ".", "cinc2021_scoring"),
                new CincOptions { Seed = options.Seed }),
            "manifest" => ManifestDataset.Load(path, new ManifestOptions { Seed = options.Seed }),
            _ => throw new ArgumentException($"data source kind must be embedded, ptbxl, cinc or manifest, got '{kind}'"),
        };
    }
}
