using System.Globalization;

namespace EcgClip.Signal.Datasets;

/// <summary>
/// Parses the Python dict literals PTB-XL stores in <c>scp_codes</c>, e.g. <c>{'NORM': 100.0, 'SR': 0.0}</c>:
/// string keys in single or double quotes (backslash escapes allowed), numeric values (int, float, exponent, sign,
/// <c>nan</c>/<c>inf</c>), arbitrary whitespace, an optional trailing comma, and the empty dict <c>{}</c>.
/// A repeated key keeps the last value, as Python does.
/// </summary>
internal static class PythonDictLiteral
{
    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> with the position and reason when malformed.</summary>
    public static Dictionary<string, double> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        int pos = 0;
        SkipWs(text, ref pos);
        Expect(text, ref pos, '{');
        SkipWs(text, ref pos);
        if (Peek(text, pos) == '}') { pos++; return Finish(text, pos, result); }
        while (true)
        {
            SkipWs(text, ref pos);
            if (Peek(text, pos) == '}') { pos++; break; } // trailing comma
            string key = ReadString(text, ref pos);
            SkipWs(text, ref pos);
            Expect(text, ref pos, ':');
            SkipWs(text, ref pos);
            result[key] = ReadNumber(text, ref pos);
            SkipWs(text, ref pos);
            char c = Peek(text, pos);
            if (c == ',') { pos++; continue; }
            if (c == '}') { pos++; break; }
            throw Error(text, pos, "expected ',' or '}'");
        }
        return Finish(text, pos, result);
    }

    private static Dictionary<string, double> Finish(string text, int pos, Dictionary<string, double> result)
    {
        SkipWs(text, ref pos);
        if (pos != text.Length) throw Error(text, pos, "unexpected text after '}'");
        return result;
    }

    private static char Peek(string s, int pos) => pos < s.Length ? s[pos] : '\0';

    private static void SkipWs(string s, ref int pos)
    {
        while (pos < s.Length && char.IsWhiteSpace(s[pos])) pos++;
    }

    private static void Expect(string s, ref int pos, char c)
    {
        if (Peek(s, pos) != c) throw Error(s, pos, $"expected '{c}'");
        pos++;
    }

    private static string ReadString(string s, ref int pos)
    {
        char quote = Peek(s, pos);
        if (quote is not ('\'' or '"')) throw Error(s, pos, "expected a quoted key");
        pos++;
        var sb = new System.Text.StringBuilder();
        while (true)
        {
            if (pos >= s.Length) throw Error(s, pos, "unterminated string");
            char c = s[pos++];
            if (c == quote) return sb.ToString();
            if (c == '\\')
            {
                if (pos >= s.Length) throw Error(s, pos, "unterminated escape");
                char e = s[pos++];
                sb.Append(e switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '0' => '\0', _ => e });
            }
            else sb.Append(c);
        }
    }

    private static double ReadNumber(string s, ref int pos)
    {
        int start = pos;
        while (pos < s.Length && (char.IsAsciiLetterOrDigit(s[pos]) || s[pos] is '.' or '+' or '-' or '_')) pos++;
        var token = s.AsSpan(start, pos - start);
        if (token.Length == 0) throw Error(s, start, "expected a number");
        if (token.Equals("nan", StringComparison.OrdinalIgnoreCase)) return double.NaN;
        if (token.Equals("inf", StringComparison.OrdinalIgnoreCase) || token.Equals("+inf", StringComparison.OrdinalIgnoreCase)) return double.PositiveInfinity;
        if (token.Equals("-inf", StringComparison.OrdinalIgnoreCase)) return double.NegativeInfinity;
        string cleaned = token.Contains('_') ? token.ToString().Replace("_", "", StringComparison.Ordinal) : token.ToString();
        if (double.TryParse(cleaned, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) return v;
        throw Error(s, start, $"'{token}' is not a number");
    }

    private static FormatException Error(string s, int pos, string reason) =>
        new($"invalid Python dict literal at position {pos}: {reason} (in \"{(s.Length > 80 ? s[..80] + "..." : s)}\")");
}
