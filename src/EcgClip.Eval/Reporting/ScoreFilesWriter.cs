using EcgClip.Eval.Protocols;
using EcgClip.Signal.Formats.Npy;

namespace EcgClip.Eval.Reporting;

/// <summary>
/// Saves what a run scored so anyone can recompute its metrics: <c>test_labels.npy</c> and <c>test_scores.npy</c>
/// (float64, <c>[n, outputs]</c>, C order; labels 0/1 — one-hot for multiclass — or regression targets in their units)
/// and <c>tasks.txt</c> (one output name per line, in column order).
/// </summary>
internal static class ScoreFilesWriter
{
    public static void Write(string folder, ProbeScores scores)
    {
        Directory.CreateDirectory(folder);
        NpyWriter.Write(Path.Combine(folder, "test_labels.npy"), scores.Targets, scores.Rows, scores.Outputs);
        NpyWriter.Write(Path.Combine(folder, "test_scores.npy"), scores.Scores, scores.Rows, scores.Outputs);
        File.WriteAllLines(Path.Combine(folder, "tasks.txt"), scores.Names);
    }
}
