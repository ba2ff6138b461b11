using System.Globalization;
using System.Text.RegularExpressions;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Formats.Wfdb;

/// <summary>
/// Interprets WFDB header comments: PhysioNet/CinC <c># Age: / # Sex: / # Dx:</c> (SNOMED CT codes become labels),
/// PTB-style <c>key: value</c> lines (metadata extras) and free text (statements).
/// </summary>
public static partial class WfdbComments
{
    [GeneratedRegex(@"^<?([A-Za-z][A-Za-z0-9 _/()\-]{0,60}?)>?\s*:\s*(.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyValue();

    /// <summary>Extracts metadata, statements and labels from <paramref name="header"/>'s comments.</summary>
    public static (EcgMetadata Metadata, IReadOnlyList<string> Statements, IReadOnlyList<string> Labels) Interpret(WfdbHeader header, string recordId)
    {
        ArgumentNullException.ThrowIfNull(header);
        double? age = null;
        string? sex = null;
        var labels = new List<string>();
        var statements = new List<string>();
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string comment in header.Comments)
        {
            if (comment.Length == 0) continue;
            var m = KeyValue().Match(comment);
            if (!m.Success)
            {
                statements.Add(comment);
                continue;
            }
            string key = m.Groups[1].Value.Trim();
            string value = m.Groups[2].Value.Trim();
            switch (key.ToLowerInvariant())
            {
                case "age":
                    age ??= ParseAge(value);
                    break;
                case "sex":
                case "gender":
                    sex ??= ParseSex(value);
                    break;
                case "dx":
                    foreach (var code in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        labels.Add(code);
                    break;
                default:
                    if (value.Length == 0 || value.Equals("Unknown", StringComparison.OrdinalIgnoreCase) || value.Equals("n/a", StringComparison.OrdinalIgnoreCase)) break;
                    extra.TryAdd(key, value);
                    if (key.Length > 1 && !key.Equals("ECG date", StringComparison.OrdinalIgnoreCase) && !key.Contains("date", StringComparison.OrdinalIgnoreCase))
                        statements.Add($"{key}: {value}");
                    break;
            }
        }
        if (header.BaseTime is not null) extra.TryAdd("base_time", header.BaseTime);
        if (header.BaseDate is not null) extra.TryAdd("base_date", header.BaseDate);
        var metadata = new EcgMetadata
        {
            Age = age,
            Sex = sex,
            RecordId = recordId,
            AcquisitionTime = header.AcquisitionTime,
            Extra = extra,
        };
        return (metadata, statements, labels);
    }

    private static double? ParseAge(string value)
    {
        var span = value.AsSpan().Trim();
        int n = 0;
        while (n < span.Length && (char.IsAsciiDigit(span[n]) || span[n] == '.')) n++;
        return n > 0 && double.TryParse(span[..n], NumberStyles.Float, CultureInfo.InvariantCulture, out double a) && a >= 0 && a < 200 ? a : null;
    }

    private static string? ParseSex(string value) => value.Trim().ToLowerInvariant() switch
    {
        "m" or "male" => "M",
        "f" or "female" => "F",
        _ => null,
    };
}
