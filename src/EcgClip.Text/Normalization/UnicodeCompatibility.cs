using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace EcgClip.Text.Normalization;

/// <summary>
/// NFKC for the Basic Multilingual Plane from an embedded table (<c>Normalization/Data/nfkc_bmp.txt</c>, generated
/// from Python's <c>unicodedata</c> by <c>gen_nfkc_table.py</c>). EcgClip apps run with <c>InvariantGlobalization</c>,
/// where <see cref="string.Normalize()"/> leaves non-ASCII text unchanged, so the normaliser cannot rely on it.
/// </summary>
/// <remarks>
/// Each character is replaced by its NFKC form (ligatures, full-width forms, compatibility spaces, super/subscripts,
/// vulgar fractions, circled numbers, ...), then adjacent <c>base + combining mark</c> pairs are canonically
/// composed (<c>a + U+0308</c> → <c>ä</c>). Not implemented: canonical reordering of several marks on one base and
/// characters outside the BMP (passed through unchanged). ASCII-only text is returned as is.
/// </remarks>
internal static class UnicodeCompatibility
{
    private static readonly Lazy<Tables> s_tables = new(LoadTables, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Removes accents: canonically decomposes (from the composition table, recursively) and drops non-spacing and
    /// spacing combining marks — what BertTokenizer's <c>RemoveNonSpacingMarks</c> would do, which relies on
    /// <c>string.Normalize(FormD)</c> and therefore does nothing under InvariantGlobalization (ä stays ä).
    /// </summary>
    public static string StripAccents(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Ascii.IsValid(text)) return text;
        var tables = s_tables.Value;
        var sb = new StringBuilder(text.Length);
        foreach (char c in text) AppendStripped(sb, c, tables);
        return sb.ToString();
    }

    private static void AppendStripped(StringBuilder sb, char c, Tables tables)
    {
        if (tables.Decompose.TryGetValue(c, out var pair))
        {
            AppendStripped(sb, pair.First, tables);
            AppendStripped(sb, pair.Second, tables);
            return;
        }
        var category = CharUnicodeInfo.GetUnicodeCategory(c);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark) return;
        sb.Append(c);
    }

    private sealed record Tables(FrozenDictionary<char, string> Map, FrozenDictionary<int, char> Compose, ulong[] Touched,
        FrozenDictionary<char, (char First, char Second)> Decompose)
    {
        /// <summary>True when <paramref name="c"/> has a mapping or can be the second half of a composition.</summary>
        public bool IsTouched(char c) => (Touched[c >> 6] & (1UL << (c & 63))) != 0;
    }

    /// <summary>Returns the NFKC form of <paramref name="text"/> (BMP, see remarks on the type).</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Ascii.IsValid(text)) return text;
        var tables = s_tables.Value;
        int first = -1;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] >= 0xA0 && tables.IsTouched(text[i])) { first = i; break; }
        }
        if (first < 0) return text; // e.g. German text with precomposed umlauts: already NFKC
        var sb = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            if (c < 0xA0) { sb.Append(c); continue; }
            if (tables.Map.TryGetValue(c, out var mapped))
            {
                foreach (char m in mapped) AppendComposing(sb, m, tables);
            }
            else
            {
                AppendComposing(sb, c, tables);
            }
        }
        return sb.ToString();
    }

    private static void AppendComposing(StringBuilder sb, char c, Tables tables)
    {
        if (sb.Length > 0 && c >= 0x300 && tables.Compose.TryGetValue(Key(sb[^1], c), out char composed))
        {
            sb[^1] = composed;
            return;
        }
        sb.Append(c);
    }

    private static int Key(char first, char second) => (first << 16) | second;

    private static Tables LoadTables()
    {
        using var stream = typeof(UnicodeCompatibility).Assembly.GetManifestResourceStream("EcgClip.Text.nfkc_bmp.txt")
            ?? throw new InvalidOperationException("embedded resource EcgClip.Text.nfkc_bmp.txt is missing");
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var map = new Dictionary<char, string>();
        var compose = new Dictionary<int, char>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            char Parse(int i) => (char)int.Parse(parts[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (parts[0] == "M")
            {
                var sb = new StringBuilder(parts.Length - 2);
                for (int i = 2; i < parts.Length; i++) sb.Append(Parse(i));
                map[Parse(1)] = sb.ToString();
            }
            else if (parts[0] == "C")
            {
                compose[Key(Parse(1), Parse(2))] = Parse(3);
            }
        }
        var touched = new ulong[65536 / 64];
        foreach (char c in map.Keys) touched[c >> 6] |= 1UL << (c & 63);
        foreach (int key in compose.Keys) { char c = (char)(key & 0xFFFF); touched[c >> 6] |= 1UL << (c & 63); }
        var decompose = compose.ToDictionary(kv => kv.Value, kv => ((char)(kv.Key >> 16), (char)(kv.Key & 0xFFFF)));
        return new Tables(map.ToFrozenDictionary(), compose.ToFrozenDictionary(), touched, decompose.ToFrozenDictionary());
    }
}
