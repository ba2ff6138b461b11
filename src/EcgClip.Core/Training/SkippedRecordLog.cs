using System.Collections.Concurrent;
using System.Text;
using EcgClip.Signal.Datasets;

namespace EcgClip.Core.Training;

/// <summary>
/// The corrupt or unreadable records a run skipped, each once with its reason, written to
/// <c>&lt;run&gt;/skipped_records.csv</c> (columns id, path, reason). Thread-safe.
/// </summary>
public sealed class SkippedRecordLog
{
    /// <summary>The file name inside the run folder.</summary>
    public const string FileName = "skipped_records.csv";

    private readonly ConcurrentDictionary<string, SkippedRecord> _skipped = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="record"/> (the first reason per id wins); returns true when it is new.</summary>
    public bool Add(SkippedRecord record) => _skipped.TryAdd(record.Id, record);

    /// <summary>Whether <paramref name="id"/> was skipped.</summary>
    public bool Contains(string id) => _skipped.ContainsKey(id);

    /// <summary>Skipped records so far, by id.</summary>
    public IReadOnlyList<SkippedRecord> Records => _skipped.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();

    /// <summary>Number of skipped records.</summary>
    public int Count => _skipped.Count;

    /// <summary>Writes the CSV (header only when nothing was skipped) into <paramref name="runDirectory"/>; returns its path.</summary>
    public string Write(string runDirectory)
    {
        Directory.CreateDirectory(runDirectory);
        string path = Path.Combine(runDirectory, FileName);
        var sb = new StringBuilder("id,path,reason\n");
        foreach (var r in Records) sb.Append(Csv(r.Id)).Append(',').Append(Csv(r.Path)).Append(',').Append(Csv(r.Reason)).Append('\n');
        string tmp = path + ".tmp";
        File.WriteAllText(tmp, sb.ToString());
        File.Move(tmp, path, overwrite: true);
        return path;
    }

    private static string Csv(string s) =>
        s.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
