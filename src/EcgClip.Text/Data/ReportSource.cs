using System.Text;

namespace EcgClip.Text.Data;

/// <summary>
/// Reads report texts from a CSV file (RFC 4180: quoted fields with commas, doubled quotes and newlines) or a plain
/// text file (one report per line). Files are decoded as UTF-8; invalid byte sequences become U+FFFD, which the
/// normaliser turns into white space.
/// </summary>
public static class ReportSource
{
    /// <summary>
    /// Reads the reports of <paramref name="path"/>. A <c>.csv</c> file is read through its header: the
    /// <paramref name="column"/> column (default <c>report</c>), and when <paramref name="folds"/> is given only rows
    /// whose <c>strat_fold</c> is in that set. Any other extension is read as one report per non-empty line.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The column (or <c>strat_fold</c> when filtering) is missing, or a row is malformed.</exception>
    public static IReadOnlyList<string> Read(string path, string column = "report", IReadOnlySet<int>? folds = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"report file not found: {path}", path);
        bool csv = Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase);
        using var reader = new StreamReader(path, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true);
        if (!csv)
        {
            if (folds is not null) throw new ArgumentException("--folds needs a CSV file with a strat_fold column");
            var lines = new List<string>();
            string? line;
            while ((line = reader.ReadLine()) is not null)
                if (!string.IsNullOrWhiteSpace(line)) lines.Add(line);
            return lines;
        }
        return ReadCsv(reader, column, folds, path);
    }

    /// <summary>Parses a fold list such as <c>1-8</c>, <c>9,10</c> or <c>1-3,5</c>.</summary>
    /// <exception cref="FormatException">The text is not a list of integers and ranges.</exception>
    public static IReadOnlySet<int> ParseFolds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var set = new SortedSet<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var range = part.Split('-', StringSplitOptions.TrimEntries);
            if (range.Length == 1 && int.TryParse(range[0], out int single)) set.Add(single);
            else if (range.Length == 2 && int.TryParse(range[0], out int lo) && int.TryParse(range[1], out int hi) && lo <= hi)
                for (int f = lo; f <= hi; f++) set.Add(f);
            else throw new FormatException($"invalid fold list '{text}' (expected e.g. 1-8 or 9,10)");
        }
        if (set.Count == 0) throw new FormatException($"empty fold list '{text}'");
        return set;
    }

    private static List<string> ReadCsv(TextReader reader, string column, IReadOnlySet<int>? folds, string path)
    {
        var header = CsvReader.ReadRecord(reader) ?? throw new InvalidDataException($"{path}: empty CSV file");
        int textIndex = header.IndexOf(column);
        if (textIndex < 0) throw new InvalidDataException($"{path}: no column '{column}' (columns: {string.Join(", ", header)})");
        int foldIndex = -1;
        if (folds is not null)
        {
            foldIndex = header.IndexOf("strat_fold");
            if (foldIndex < 0) throw new InvalidDataException($"{path}: --folds needs a 'strat_fold' column");
        }
        var reports = new List<string>();
        int row = 1;
        List<string>? record;
        while ((record = CsvReader.ReadRecord(reader)) is not null)
        {
            row++;
            if (record.Count == 1 && record[0].Length == 0) continue; // blank line
            if (record.Count <= Math.Max(textIndex, foldIndex))
                throw new InvalidDataException($"{path}: record {row} has {record.Count} fields, header has {header.Count}");
            if (folds is not null)
            {
                var foldText = record[foldIndex].Trim();
                if (!double.TryParse(foldText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double fold))
                    throw new InvalidDataException($"{path}: record {row} has strat_fold '{foldText}'");
                if (!folds.Contains((int)fold)) continue;
            }
            reports.Add(record[textIndex]);
        }
        return reports;
    }
}

/// <summary>A minimal RFC 4180 record reader.</summary>
internal static class CsvReader
{
    /// <summary>Reads one record (fields may span lines when quoted); null at end of input.</summary>
    public static List<string>? ReadRecord(TextReader reader)
    {
        int c = reader.Read();
        if (c < 0) return null;
        var fields = new List<string>();
        var sb = new StringBuilder();
        bool quoted = false;
        bool fieldStart = true;
        while (true)
        {
            if (quoted)
            {
                if (c < 0) break; // unterminated quote: keep what we have
                if (c == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); sb.Append('"'); }
                    else quoted = false;
                }
                else sb.Append((char)c);
            }
            else
            {
                if (c < 0 || c == '\n') break;
                if (c == '\r') { if (reader.Peek() == '\n') reader.Read(); break; }
                if (c == ',') { fields.Add(sb.ToString()); sb.Clear(); fieldStart = true; c = reader.Read(); continue; }
                if (c == '"' && fieldStart) quoted = true;
                else sb.Append((char)c);
            }
            fieldStart = false;
            c = reader.Read();
        }
        fields.Add(sb.ToString());
        return fields;
    }
}
