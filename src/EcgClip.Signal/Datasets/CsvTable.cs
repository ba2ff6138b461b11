using System.Text;

namespace EcgClip.Signal.Datasets;

/// <summary>
/// A comma-separated table parsed per RFC 4180: fields may be quoted with <c>"</c>, quoted fields may hold commas,
/// CR/LF line breaks and doubled quotes (<c>""</c> → <c>"</c>). Unquoted fields are taken verbatim. Records end at
/// LF, CRLF or CR outside quotes; blank lines are ignored (a lone empty field must be quoted, <c>""</c>); a UTF-8 byte-order mark is skipped.
/// </summary>
internal sealed class CsvTable
{
    private readonly Dictionary<string, int> _columnIndex;

    private CsvTable(string source, IReadOnlyList<string> header, List<string[]> rows)
    {
        Source = source;
        Header = header;
        Rows = rows;
        _columnIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < header.Count; i++) _columnIndex.TryAdd(header[i], i);
    }

    /// <summary>The file (or description) the table came from, for error messages.</summary>
    public string Source { get; }
    /// <summary>Column names from the first record.</summary>
    public IReadOnlyList<string> Header { get; }
    /// <summary>Data records; each has exactly <see cref="Header"/>.Count fields.</summary>
    public IReadOnlyList<string[]> Rows { get; }

    /// <summary>Index of <paramref name="column"/>, or -1.</summary>
    public int IndexOf(string column) => _columnIndex.TryGetValue(column, out int i) ? i : -1;

    /// <summary>Index of a required column; throws <see cref="Records.EcgFormatException"/> naming the file when absent.</summary>
    public int Require(string column) =>
        IndexOf(column) is var i and >= 0 ? i : throw new Records.EcgFormatException(Source, $"required column '{column}' is missing");

    /// <summary>Reads and parses a CSV file.</summary>
    public static CsvTable Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: CSV file not found", path);
        return Parse(File.ReadAllText(path, Encoding.UTF8), path);
    }

    /// <summary>Parses CSV text; <paramref name="source"/> names it in errors.</summary>
    public static CsvTable Parse(string text, string source)
    {
        var records = ParseRecords(text, source);
        if (records.Count == 0) throw new Records.EcgFormatException(source, "CSV has no header line");
        var header = records[0];
        var rows = new List<string[]>(records.Count - 1);
        for (int r = 1; r < records.Count; r++)
        {
            var rec = records[r];
            if (rec.Length != header.Length)
                throw new Records.EcgFormatException(source, $"CSV record {r + 1} has {rec.Length} fields, the header has {header.Length}");
            rows.Add(rec);
        }
        return new CsvTable(source, header, rows);
    }

    /// <summary>Splits CSV text into records of fields (no header handling).</summary>
    internal static List<string[]> ParseRecords(string text, string source)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        bool inQuotes = false, fieldWasQuoted = false, any = false;
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                    else inQuotes = false;
                }
                else field.Append(c);
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0 && !fieldWasQuoted:
                    inQuotes = true; fieldWasQuoted = true; any = true;
                    break;
                case ',':
                    fields.Add(field.ToString()); field.Clear(); fieldWasQuoted = false; any = true;
                    break;
                case '\r':
                case '\n':
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                    if (fields.Count == 0 && field.Length == 0 && !fieldWasQuoted) { any = false; break; } // blank line
                    fields.Add(field.ToString()); field.Clear(); fieldWasQuoted = false;
                    records.Add(fields.ToArray()); fields.Clear(); any = false;
                    break;
                default:
                    field.Append(c); any = true;
                    break;
            }
        }
        if (inQuotes) throw new Records.EcgFormatException(source, "CSV ends inside a quoted field");
        if (any || field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add(fields.ToArray());
        }
        return records;
    }
}
