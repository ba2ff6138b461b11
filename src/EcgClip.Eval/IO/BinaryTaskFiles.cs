using EcgClip.Eval.Metrics;
using EcgClip.Signal.Formats.Npy;

namespace EcgClip.Eval.IO;

/// <summary>
/// Reads evaluation inputs from .npy files: labels <c>[n, tasks]</c> (or <c>[n]</c> for one task) of 0/1 in any
/// integer, bool or float dtype, and scores of the same shape (float32 scores widen to double exactly).
/// </summary>
public static class BinaryTaskFiles
{
    /// <summary>Reads a row-major array of rank 1 or 2 and returns it as doubles with its shape (n, columns).</summary>
    /// <exception cref="ArgumentException">An array of another rank.</exception>
    /// <exception cref="EcgClip.Signal.Records.EcgFormatException">A missing or malformed file.</exception>
    public static (double[] Values, int Rows, int Columns) ReadMatrix(string path, string what)
    {
        ArgumentNullException.ThrowIfNull(path);
        var array = NpyReader.Read(path);
        return array.Shape.Length switch
        {
            1 => (array.ToDoubleArray(), array.Shape[0], 1),
            2 => (array.ToDoubleArray(), array.Shape[0], array.Shape[1]),
            _ => throw new ArgumentException($"{what} ({path}) must be 1-D [n] or 2-D [n, tasks], got shape ({string.Join(", ", array.Shape)})"),
        };
    }

    /// <summary>Reads labels and scores and validates them together (see <see cref="BinaryTaskData.FromRowMajor"/>).</summary>
    /// <exception cref="ArgumentException">Shapes that differ, empty arrays, labels other than 0/1, non-finite scores,
    /// or a names file with the wrong number of lines.</exception>
    public static BinaryTaskData Read(string labelsPath, string scoresPath, string? namesPath = null, string scoresWhat = "scores")
    {
        var (y, n, tasks) = ReadMatrix(labelsPath, "labels");
        var (s, ns, ts) = ReadMatrix(scoresPath, scoresWhat);
        if (n != ns || tasks != ts)
            throw new ArgumentException($"shape mismatch: labels are [{n}, {tasks}] but {scoresWhat} are [{ns}, {ts}]");
        var names = namesPath is null ? null : ReadNames(namesPath);
        return BinaryTaskData.FromRowMajor(y, s, n, tasks, names, scoresWhat);
    }

    /// <summary>Reads scores of the same shape as <paramref name="like"/> (for a second model).</summary>
    /// <exception cref="ArgumentException">Another shape or a non-finite score.</exception>
    public static BinaryTaskData ReadOtherScores(BinaryTaskData like, string scoresPath, string what)
    {
        ArgumentNullException.ThrowIfNull(like);
        var (s, n, tasks) = ReadMatrix(scoresPath, what);
        if (n != like.SampleCount || tasks != like.TaskCount)
            throw new ArgumentException($"shape mismatch: labels are [{like.SampleCount}, {like.TaskCount}] but {what} are [{n}, {tasks}]");
        return like.WithScores(s, what);
    }

    /// <summary>Reads one integer patient id per sample from a 1-D .npy file.</summary>
    /// <exception cref="ArgumentException">Not 1-D, the wrong length, or a non-integral id.</exception>
    public static long[] ReadPatientIds(string path, int sampleCount)
    {
        var array = NpyReader.Read(path);
        if (array.Shape.Length != 1 || array.Shape[0] != sampleCount)
            throw new ArgumentException($"patient ids ({path}) must be 1-D with {sampleCount} values, got shape ({string.Join(", ", array.Shape)})");
        if (array.Data is long[] l) return l;
        var d = array.ToDoubleArray();
        var ids = new long[d.Length];
        for (int i = 0; i < d.Length; i++)
        {
            if (!double.IsFinite(d[i]) || Math.Floor(d[i]) != d[i])
                throw new ArgumentException($"patient ids must be integers; found {d[i]} at index {i}");
            ids[i] = (long)d[i];
        }
        return ids;
    }

    /// <summary>Reads task names, one per line (trailing empty lines ignored).</summary>
    public static string[] ReadNames(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"names file not found: {path}", path);
        var lines = File.ReadAllLines(path).Select(l => l.Trim()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines.ToArray();
    }
}
