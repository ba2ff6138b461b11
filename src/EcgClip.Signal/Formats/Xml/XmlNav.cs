using System.Globalization;
using System.Xml.Linq;

namespace EcgClip.Signal.Formats.Xml;

/// <summary>Namespace-agnostic navigation and invariant-culture parsing helpers for the vendor dialects.</summary>
internal static class XmlNav
{
    public static XElement? Child(this XElement? e, string localName)
    {
        if (e is null) return null;
        foreach (var c in e.Elements())
            if (c.Name.LocalName == localName) return c;
        return null;
    }

    public static IEnumerable<XElement> Children(this XElement? e, string localName)
    {
        if (e is null) yield break;
        foreach (var c in e.Elements())
            if (c.Name.LocalName == localName) yield return c;
    }

    /// <summary>Follows a path of local names, taking the first match at each step.</summary>
    public static XElement? Path(this XElement? e, params string[] localNames)
    {
        foreach (var n in localNames)
        {
            e = e.Child(n);
            if (e is null) return null;
        }
        return e;
    }

    public static string? TextOf(this XElement? e)
    {
        if (e is null) return null;
        string v = e.Value.Trim();
        return v.Length == 0 ? null : v;
    }

    public static string? Attr(this XElement? e, string localName)
    {
        if (e is null) return null;
        foreach (var a in e.Attributes())
            if (a.Name.LocalName == localName) return a.Value.Trim();
        return null;
    }

    public static double? ParseDouble(string? s)
        => s is not null && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v : null;

    public static int? ParseInt(string? s)
        => s is not null && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : null;

    /// <summary>Decodes base64 text (whitespace allowed) with a bound on the decoded size.</summary>
    public static byte[] DecodeBase64(string? text, string source, string what)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new Records.EcgFormatException(source, $"{what}: empty base64 data");
        if (text.Length / 4L * 3 > XmlLimits.MaxDecodedBytesPerBlock + 3)
            throw new Records.EcgFormatException(source, $"{what}: base64 data larger than {XmlLimits.MaxDecodedBytesPerBlock} bytes");
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException e)
        {
            throw new Records.EcgFormatException(source, $"{what}: invalid base64 data", e);
        }
    }

    /// <summary>Reads <paramref name="count"/> little-endian int16 values from <paramref name="bytes"/>.</summary>
    public static int[] Int16LittleEndian(ReadOnlySpan<byte> bytes, int count)
    {
        var result = new int[count];
        for (int i = 0; i < count; i++)
            result[i] = (short)(bytes[2 * i] | (bytes[2 * i + 1] << 8));
        return result;
    }
}
