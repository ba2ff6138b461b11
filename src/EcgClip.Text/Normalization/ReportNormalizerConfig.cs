using System.Text.Json;
using System.Text.Json.Serialization;

namespace EcgClip.Text.Normalization;

/// <summary>
/// The report-normalisation pipeline described as data (serialised with System.Text.Json and saved beside every
/// checkpoint, so that inference normalises exactly as training did). Steps run in this fixed order:
/// truncate to <see cref="MaxInputChars"/> → drop control / invalid characters → NFKC → case folding →
/// boilerplate removal → abbreviation expansion → statement de-duplication → whitespace collapse.
/// </summary>
public sealed record ReportNormalizerConfig
{
    /// <summary>Apply Unicode NFKC (compatibility decomposition + canonical composition). Default true.</summary>
    public bool UnicodeNfkc { get; init; } = true;

    /// <summary>Lower-case with invariant simple case mapping (<c>Ä</c> → <c>ä</c>; <c>ß</c> is kept). Default true.</summary>
    public bool CaseFold { get; init; } = true;

    /// <summary>Collapse every run of white space to one space and trim the ends. Default true.</summary>
    public bool CollapseWhitespace { get; init; } = true;

    /// <summary>
    /// .NET regular expressions (multi-line mode) whose matches are removed, e.g. vendor disclaimers, "unconfirmed
    /// report", "edited by …". With <see cref="CaseFold"/> on they run on the lower-cased text, case-sensitively, so
    /// write their literals in lower case; with it off they match case-insensitively.
    /// Default: <see cref="DefaultBoilerplatePatterns"/>.
    /// </summary>
    public IReadOnlyList<string> BoilerplatePatterns { get; init; } = DefaultBoilerplatePatterns;

    /// <summary>
    /// Whole-word abbreviation expansions, applied after case folding (keys must therefore be lower case).
    /// A word is a maximal run of letters and digits. Default: <see cref="DefaultAbbreviations"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Abbreviations { get; init; } = DefaultAbbreviations;

    /// <summary>
    /// Drop statements that repeat an earlier statement of the same report (exact match after the other steps).
    /// Statements are separated by <see cref="StatementSeparators"/>; empty statements (a lone separator, e.g. left
    /// behind by boilerplate removal) are dropped too. Default true.
    /// </summary>
    public bool DeduplicateStatements { get; init; } = true;

    /// <summary>Characters that end a statement (the separator is kept with its statement). Default <c>.;\n</c>.</summary>
    public string StatementSeparators { get; init; } = ".;\n";

    /// <summary>
    /// Longest input considered, in UTF-16 characters; longer reports are cut here before any other step (a
    /// 100 kB report costs no more than a 10 kB one, and the tokenizer truncates to its maximum length anyway).
    /// Default 10,000.
    /// </summary>
    public int MaxInputChars { get; init; } = 10_000;

    /// <summary>
    /// Boilerplate removed by default: PTB-XL's "4.46 unbestätigter bericht" (software version + unconfirmed
    /// report), the "Edit: …" annotations appended by PTB-XL's human validators (they list SCP codes, i.e. labels),
    /// "unconfirmed report", "edited by …", "confirmed by …", "reviewed by …" and the usual "computer generated /
    /// interpretation must be confirmed by a physician" vendor disclaimers.
    /// </summary>
    public static IReadOnlyList<string> DefaultBoilerplatePatterns { get; } =
    [
        @"(?:\b\d+\.\d+\s+)?unbestätigter\s+bericht",
        @"\bedit:.*$",
        @"\bunconfirmed(?:\s+report)?\b",
        @"\b(?:edited|confirmed|reviewed|overread)\s+by\b[^.;\n]*",
        @"\b(?:computer[- ]generated|automated)\s+(?:report|interpretation|analysis)[^.;\n]*",
        @"\b(?:interpretation\s+)?(?:must|should)\s+be\s+(?:confirmed|reviewed)\s+by\s+a?\s*physician[^.;\n]*",
    ];

    /// <summary>
    /// Default abbreviations: a few unambiguous English ECG acronyms. Extend per corpus (a hospital's vendor
    /// statements) through configuration rather than code.
    /// </summary>
    public static IReadOnlyDictionary<string, string> DefaultAbbreviations { get; } = new System.Collections.ObjectModel.ReadOnlyDictionary<string, string>(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["lvh"] = "left ventricular hypertrophy",
        ["rvh"] = "right ventricular hypertrophy",
        ["lbbb"] = "left bundle branch block",
        ["rbbb"] = "right bundle branch block",
        ["lafb"] = "left anterior fascicular block",
        ["lpfb"] = "left posterior fascicular block",
        ["afib"] = "atrial fibrillation",
        ["pvc"] = "ventricular premature complex",
        ["pvcs"] = "ventricular premature complexes",
    });

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad field.</summary>
    public void Validate()
    {
        if (MaxInputChars < 1) throw new ArgumentException($"{nameof(MaxInputChars)} must be ≥ 1, got {MaxInputChars}");
        ArgumentNullException.ThrowIfNull(BoilerplatePatterns, nameof(BoilerplatePatterns));
        ArgumentNullException.ThrowIfNull(Abbreviations, nameof(Abbreviations));
        ArgumentNullException.ThrowIfNull(StatementSeparators, nameof(StatementSeparators));
        foreach (var key in Abbreviations.Keys)
        {
            if (string.IsNullOrWhiteSpace(key) || (CaseFold && key != key.ToLowerInvariant()))
                throw new ArgumentException($"abbreviation key '{key}' must be a non-empty word (lower case when {nameof(CaseFold)} is on)");
        }
    }

    /// <summary>Serialises to indented JSON (camelCase).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <summary>Reads a config written by <see cref="ToJson"/>; missing fields take their defaults.</summary>
    public static ReportNormalizerConfig FromJson(string json) =>
        JsonSerializer.Deserialize<ReportNormalizerConfig>(json, s_json) ?? throw new InvalidDataException("normalizer config JSON is null");

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <inheritdoc/>
    public bool Equals(ReportNormalizerConfig? other) =>
        other is not null && UnicodeNfkc == other.UnicodeNfkc && CaseFold == other.CaseFold && CollapseWhitespace == other.CollapseWhitespace
        && DeduplicateStatements == other.DeduplicateStatements && StatementSeparators == other.StatementSeparators
        && MaxInputChars == other.MaxInputChars && BoilerplatePatterns.SequenceEqual(other.BoilerplatePatterns)
        && Abbreviations.Count == other.Abbreviations.Count
        && Abbreviations.All(kv => other.Abbreviations.TryGetValue(kv.Key, out var v) && v == kv.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(UnicodeNfkc, CaseFold, CollapseWhitespace, DeduplicateStatements, MaxInputChars, BoilerplatePatterns.Count, Abbreviations.Count);
}
