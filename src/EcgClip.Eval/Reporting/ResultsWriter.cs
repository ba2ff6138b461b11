namespace EcgClip.Eval.Reporting;

/// <summary>The files written for one evaluation.</summary>
/// <param name="Json">Path of results.json.</param>
/// <param name="Csv">Path of results.csv.</param>
/// <param name="Markdown">Path of results.md.</param>
/// <param name="ScoreFolders">One folder per run holding test_labels.npy, test_scores.npy and tasks.txt.</param>
public sealed record ResultsFiles(string Json, string Csv, string Markdown, IReadOnlyList<string> ScoreFolders);

/// <summary>
/// Writes an <see cref="EvaluationReport"/> to a folder: <c>results.json</c>, <c>results.csv</c>, <c>results.md</c>,
/// and per run <c>&lt;model&gt;/fraction_&lt;f&gt;/seed_&lt;s&gt;/</c> with <c>test_labels.npy</c>, <c>test_scores.npy</c>
/// and <c>tasks.txt</c>. Existing files of the same names are overwritten.
/// </summary>
public sealed class ResultsWriter
{
    /// <summary>Writes every file under <paramref name="directory"/> (created when absent).</summary>
    public ResultsFiles Write(string directory, EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        var folders = new List<string>();
        foreach (var m in report.Models)
            foreach (var r in m.Runs)
            {
                string folder = Path.Combine(directory, EvaluationReport.RunFolder(m.Model, r).Replace('/', Path.DirectorySeparatorChar));
                ScoreFilesWriter.Write(folder, r.Test);
                folders.Add(folder);
            }
        var files = new ResultsFiles(Path.Combine(directory, "results.json"), Path.Combine(directory, "results.csv"), Path.Combine(directory, "results.md"), folders);
        JsonResultsWriter.Write(files.Json, report);
        CsvResultsWriter.Write(files.Csv, report);
        MarkdownResultsWriter.Write(files.Markdown, report);
        return files;
    }
}
