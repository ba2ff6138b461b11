using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EcgClip.Text.Normalization;

/// <summary>
/// Normalises diagnostic report text with the pipeline described by a <see cref="ReportNormalizerConfig"/>
/// (see there for the order of the steps). Thread-safe and allocation-light; build one per config and reuse it.
/// </summary>
/// <remarks>
/// Defined behaviour on bad input: <c>null</c>, empty or all-boilerplate reports normalise to the empty string;
/// reports longer than <see cref="ReportNormalizerConfig.MaxInputChars"/> are cut there first; U+0000, U+FFFD
/// (what invalid UTF-8 decodes to), lone surrogates, control and format characters (zero-width spaces, BOM) become
/// white space. It never throws for any input string.
/// </remarks>
public sealed class ReportNormalizer
{
    private readonly Regex[] _boilerplate;
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _abbreviations;
    private readonly bool _hasAbbreviations;
    private readonly SearchValues<char> _separators;

    /// <summary>Builds the pipeline; throws <see cref="ArgumentException"/> for an invalid config or regular expression.</summary>
    public ReportNormalizer(ReportNormalizerConfig? config = null)
    {
        Config = config ?? new ReportNormalizerConfig();
        Config.Validate();
        // One regex per pattern: each gets its own vectorised search for its leading literal or character set,
        // which is several times faster than one alternation whose leading set is the union of all of them.
        // After case folding the text is lower case already; IgnoreCase would only slow matching down.
        var options = RegexOptions.Multiline | RegexOptions.CultureInvariant | RegexOptions.Compiled
                      | (Config.CaseFold ? RegexOptions.None : RegexOptions.IgnoreCase);
        _boilerplate = Config.BoilerplatePatterns.Select(p =>
        {
            try
            {
                return new Regex(p, options, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"invalid boilerplate pattern '{p}' in normalizer config: {ex.Message}", ex);
            }
        }).ToArray();
        var dict = new Dictionary<string, string>(Config.Abbreviations, StringComparer.Ordinal);
        _abbreviations = dict.GetAlternateLookup<ReadOnlySpan<char>>();
        _hasAbbreviations = dict.Count > 0;
        _separators = SearchValues.Create(Config.StatementSeparators);
    }

    /// <summary>The pipeline description.</summary>
    public ReportNormalizerConfig Config { get; }

    /// <summary>Normalises one report; never throws (see the remarks on the type).</summary>
    public string Normalize(string? report)
    {
        if (string.IsNullOrEmpty(report)) return string.Empty;
        string text = Clean(report);
        if (Config.UnicodeNfkc) text = UnicodeCompatibility.Normalize(text);
        if (Config.CaseFold) text = text.ToLowerInvariant();
        foreach (var regex in _boilerplate)
        {
            try
            {
                text = regex.Replace(text, " ");
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological input for a user pattern: keep the text rather than fail the batch.
            }
        }
        if (_hasAbbreviations) text = ExpandAbbreviations(text);
        if (Config.DeduplicateStatements) text = Deduplicate(text);
        if (Config.CollapseWhitespace) text = Collapse(text);
        return text;
    }

    /// <summary>Truncates and replaces control, format, replacement and unpaired surrogate characters by spaces.</summary>
    private string Clean(string report)
    {
        int length = Math.Min(report.Length, Config.MaxInputChars);
        if (length < report.Length && char.IsHighSurrogate(report[length - 1])) length--;
        var source = report.AsSpan(0, length);
        bool dirty = length != report.Length;
        for (int i = 0; i < source.Length && !dirty; i++) dirty = NeedsCleaning(source, i);
        if (!dirty) return report;

        return string.Create(length, (report, length), static (dest, state) =>
        {
            var src = state.report.AsSpan(0, state.length);
            for (int i = 0; i < src.Length; i++) dest[i] = NeedsCleaning(src, i) ? ' ' : src[i];
        });
    }

    private static bool NeedsCleaning(ReadOnlySpan<char> s, int i)
    {
        char c = s[i];
        if (c >= ' ' && c < 0x7F) return false;
        if (c == '\n' || c == '\t') return false;
        if (c == '\uFFFD' || c == '\0') return true;
        if (char.IsHighSurrogate(c)) return i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]);
        if (char.IsLowSurrogate(c)) return i == 0 || !char.IsHighSurrogate(s[i - 1]);
        var category = CharUnicodeInfo.GetUnicodeCategory(c);
        return category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse;
    }

    private string ExpandAbbreviations(string text)
    {
        StringBuilder? sb = null;
        int copied = 0;
        int i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetterOrDigit(text[i])) { i++; continue; }
            int start = i;
            while (i < text.Length && char.IsLetterOrDigit(text[i])) i++;
            if (_abbreviations.TryGetValue(text.AsSpan(start, i - start), out var expansion))
            {
                sb ??= new StringBuilder(text.Length + 32);
                sb.Append(text, copied, start - copied).Append(expansion);
                copied = i;
            }
        }
        if (sb is null) return text;
        sb.Append(text, copied, text.Length - copied);
        return sb.ToString();
    }

    private string Deduplicate(string text)
    {
        var span = text.AsSpan();
        int first = span.IndexOfAny(_separators);
        if (first < 0 || first == span.Length - 1) return text; // at most one statement
        // Statement ranges; reports have few statements, so an O(k²) comparison without allocation is fastest.
        Span<(int Start, int End)> ranges = stackalloc (int, int)[64];
        int count = 0;
        int start = 0;
        bool removed = false;
        StringBuilder? sb = null;
        List<(int, int)>? overflow = null;
        while (start < span.Length)
        {
            int rel = span[start..].IndexOfAny(_separators);
            int end = rel < 0 ? span.Length : start + rel + 1;
            var content = Content(span[start..end]);
            bool keep = !content.IsEmpty;
            for (int i = 0; keep && i < count + (overflow?.Count ?? 0); i++)
            {
                var (s, e) = i < count ? ranges[i] : overflow![i - count];
                if (SameIgnoringWhitespaceRuns(Content(span[s..e]), content)) keep = false;
            }
            if (keep)
            {
                if (count < ranges.Length) ranges[count++] = (start, end);
                else (overflow ??= []).Add((start, end));
                sb?.Append(span[start..end]);
            }
            else if (!removed)
            {
                removed = true;
                sb = new StringBuilder(text.Length).Append(span[..start]);
            }
            start = end;
        }
        return removed ? sb!.ToString() : text;
    }

    /// <summary>A statement without its separator and surrounding white space.</summary>
    private ReadOnlySpan<char> Content(ReadOnlySpan<char> statement) =>
        statement.TrimEnd(Config.StatementSeparators.AsSpan()).Trim();

    /// <summary>Ordinal equality where every run of white space counts as one space.</summary>
    internal static bool SameIgnoringWhitespaceRuns(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            bool wa = char.IsWhiteSpace(a[i]), wb = char.IsWhiteSpace(b[j]);
            if (wa != wb) return false;
            if (wa)
            {
                while (i < a.Length && char.IsWhiteSpace(a[i])) i++;
                while (j < b.Length && char.IsWhiteSpace(b[j])) j++;
                continue;
            }
            if (a[i] != b[j]) return false;
            i++; j++;
        }
        return i == a.Length && j == b.Length;
    }

    private static string Collapse(string text)
    {
        var span = text.AsSpan();
        bool needs = span.Length > 0 && (char.IsWhiteSpace(span[0]) || char.IsWhiteSpace(span[^1]));
        for (int i = 1; i < span.Length && !needs; i++)
            needs = char.IsWhiteSpace(span[i]) && (span[i] != ' ' || char.IsWhiteSpace(span[i - 1]));
        if (!needs) return text;

        char[]? rented = null;
        Span<char> buffer = span.Length <= 512 ? stackalloc char[span.Length] : (rented = ArrayPool<char>.Shared.Rent(span.Length));
        int n = 0;
        bool pendingSpace = false;
        foreach (char c in span)
        {
            if (char.IsWhiteSpace(c)) { pendingSpace = n > 0; continue; }
            if (pendingSpace) { buffer[n++] = ' '; pendingSpace = false; }
            buffer[n++] = c;
        }
        string result = new(buffer[..n]);
        if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        return result;
    }
}
