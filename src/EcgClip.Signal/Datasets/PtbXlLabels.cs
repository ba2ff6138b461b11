using System.Globalization;

namespace EcgClip.Signal.Datasets;

/// <summary>The PTB-XL benchmark label sets (Strodthoff et al. 2020, <c>utils.compute_label_aggregations</c>).</summary>
public enum PtbXlLabelSet
{
    /// <summary>Every SCP code of the record (71 statements).</summary>
    All,
    /// <summary>Codes whose statement has <c>diagnostic == 1</c> (44 statements).</summary>
    Diagnostic,
    /// <summary>The <c>diagnostic_subclass</c> of each diagnostic code (23 subclasses).</summary>
    Subdiagnostic,
    /// <summary>The <c>diagnostic_class</c> of each diagnostic code (5 classes: CD, HYP, MI, NORM, STTC).</summary>
    Superdiagnostic,
    /// <summary>Codes whose statement has <c>form == 1</c> (19 statements; 4 of them are also diagnostic).</summary>
    Form,
    /// <summary>Codes whose statement has <c>rhythm == 1</c> (12 statements).</summary>
    Rhythm,
}

/// <summary>One row of PTB-XL's <c>scp_statements.csv</c>.</summary>
/// <param name="Code">The SCP code (the unnamed first column), e.g. "NORM".</param>
/// <param name="Description">The short description.</param>
/// <param name="IsDiagnostic">Column <c>diagnostic</c> is 1.</param>
/// <param name="IsForm">Column <c>form</c> is 1.</param>
/// <param name="IsRhythm">Column <c>rhythm</c> is 1.</param>
/// <param name="DiagnosticClass">Column <c>diagnostic_class</c> (superclass), or null when empty.</param>
/// <param name="DiagnosticSubclass">Column <c>diagnostic_subclass</c>, or null when empty.</param>
public sealed record ScpStatement(string Code, string Description, bool IsDiagnostic, bool IsForm, bool IsRhythm, string? DiagnosticClass, string? DiagnosticSubclass);

/// <summary>
/// The SCP statement table and the derivation of PTB-XL label sets from a record's <c>scp_codes</c>, following the
/// PTB-XL benchmark: a code contributes to <see cref="PtbXlLabelSet.Diagnostic"/> (itself),
/// <see cref="PtbXlLabelSet.Subdiagnostic"/> (its subclass) and <see cref="PtbXlLabelSet.Superdiagnostic"/> (its class)
/// when its statement is diagnostic; to <see cref="PtbXlLabelSet.Form"/>/<see cref="PtbXlLabelSet.Rhythm"/> (itself)
/// when flagged form/rhythm; to <see cref="PtbXlLabelSet.All"/> always. Codes unknown to the table are ignored
/// (none occur in PTB-XL).
/// </summary>
/// <remarks>
/// Likelihood: the benchmark keeps every code regardless of its likelihood (the dict value, 0–100). An optional
/// minimum likelihood is offered, but it is applied to <b>diagnostic</b> statements only: PTB-XL gives form and
/// rhythm statements likelihood 0 by convention ("unknown", e.g. <c>'SR': 0.0</c>), so filtering them by
/// likelihood would delete nearly all form/rhythm labels. A code that is both diagnostic and form (NDT, NST_, DIG,
/// LNGQT) is filtered for the diagnostic sets and kept for <see cref="PtbXlLabelSet.Form"/>; for
/// <see cref="PtbXlLabelSet.All"/> the filter applies to diagnostic codes.
/// </remarks>
public sealed class ScpStatements
{
    private readonly Dictionary<string, ScpStatement> _byCode;

    private ScpStatements(Dictionary<string, ScpStatement> byCode) => _byCode = byCode;

    /// <summary>Statements by code.</summary>
    public IReadOnlyDictionary<string, ScpStatement> ByCode => _byCode;

    /// <summary>Reads <c>scp_statements.csv</c>; throws <see cref="Records.EcgFormatException"/> naming the file when malformed.</summary>
    public static ScpStatements Load(string path)
    {
        var t = CsvTable.Load(path);
        if (t.Header.Count == 0) throw new Records.EcgFormatException(path, "no columns");
        int code = 0, desc = t.IndexOf("description"), diag = t.Require("diagnostic"), form = t.Require("form"), rhythm = t.Require("rhythm");
        int cls = t.Require("diagnostic_class"), sub = t.Require("diagnostic_subclass");
        var map = new Dictionary<string, ScpStatement>(StringComparer.Ordinal);
        foreach (var row in t.Rows)
        {
            string c = row[code].Trim();
            if (c.Length == 0) throw new Records.EcgFormatException(path, "a statement has an empty code");
            map[c] = new ScpStatement(c, desc >= 0 ? row[desc] : "", Flag(row[diag]), Flag(row[form]), Flag(row[rhythm]),
                NullIfEmpty(row[cls]), NullIfEmpty(row[sub]));
        }
        return new ScpStatements(map);
    }

    private static bool Flag(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v == 1.0;

    private static string? NullIfEmpty(string s) => string.IsNullOrWhiteSpace(s) || s.Trim() == "nan" ? null : s.Trim();

    /// <summary>All names the set can produce, sorted ordinally (the column order of the benchmark's MultiLabelBinarizer).</summary>
    public LabelSpace FullLabelSpace(PtbXlLabelSet set)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var s in _byCode.Values)
            foreach (var n in Contributions(s, set)) names.Add(n);
        return new LabelSpace(names);
    }

    /// <summary>
    /// The labels of a record with SCP codes <paramref name="scpCodes"/> (code → likelihood) in <paramref name="set"/>,
    /// sorted ordinally without duplicates. Diagnostic codes with likelihood below <paramref name="minLikelihood"/> are
    /// ignored (see remarks of <see cref="ScpStatements"/>); 0 keeps all codes, as the benchmark does.
    /// </summary>
    public IReadOnlyList<string> Derive(IReadOnlyDictionary<string, double> scpCodes, PtbXlLabelSet set, double minLikelihood = 0)
    {
        ArgumentNullException.ThrowIfNull(scpCodes);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (code, likelihood) in scpCodes)
        {
            if (!_byCode.TryGetValue(code, out var s)) continue;
            bool diagnosticPasses = !(likelihood < minLikelihood); // NaN passes
            foreach (var n in Contributions(s, set))
            {
                bool viaDiagnostic = set is PtbXlLabelSet.Diagnostic or PtbXlLabelSet.Subdiagnostic or PtbXlLabelSet.Superdiagnostic
                                     || (set == PtbXlLabelSet.All && s.IsDiagnostic);
                if (viaDiagnostic && !diagnosticPasses) continue;
                names.Add(n);
            }
        }
        return [.. names];
    }

    private static IEnumerable<string> Contributions(ScpStatement s, PtbXlLabelSet set)
    {
        switch (set)
        {
            case PtbXlLabelSet.All: yield return s.Code; break;
            case PtbXlLabelSet.Diagnostic: if (s.IsDiagnostic) yield return s.Code; break;
            case PtbXlLabelSet.Subdiagnostic: if (s.IsDiagnostic && s.DiagnosticSubclass is { } sub) yield return sub; break;
            case PtbXlLabelSet.Superdiagnostic: if (s.IsDiagnostic && s.DiagnosticClass is { } cls) yield return cls; break;
            case PtbXlLabelSet.Form: if (s.IsForm) yield return s.Code; break;
            case PtbXlLabelSet.Rhythm: if (s.IsRhythm) yield return s.Code; break;
            default: throw new ArgumentOutOfRangeException(nameof(set), set, null);
        }
    }

    /// <summary>Parses a label-set name: all, diagnostic, subdiagnostic, superdiagnostic, form, rhythm (case-insensitive).</summary>
    public static bool TryParseLabelSet(string? text, out PtbXlLabelSet set) =>
        Enum.TryParse(text?.Trim(), ignoreCase: true, out set) && Enum.IsDefined(set) && !int.TryParse(text, out _);
}
