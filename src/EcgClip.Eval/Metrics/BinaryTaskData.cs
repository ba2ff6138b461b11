namespace EcgClip.Eval.Metrics;

/// <summary>
/// Validated binary labels and scores for one or more tasks over the same samples: the input of every ranking
/// metric, bootstrap and paired comparison in EcgClip.Eval.
/// </summary>
/// <remarks>
/// Data are stored column-major (one contiguous column per task) as <see cref="double"/>. Single-precision scores
/// convert to double exactly, so ties are neither merged nor split: the metrics see the scores exactly as given.
/// </remarks>
public sealed class BinaryTaskData
{
    private readonly bool[] _labels;
    private readonly double[] _scores;

    private BinaryTaskData(int sampleCount, int taskCount, bool[] labels, double[] scores, string[] names)
    {
        SampleCount = sampleCount;
        TaskCount = taskCount;
        _labels = labels;
        _scores = scores;
        TaskNames = names;
    }

    /// <summary>Number of samples (rows), n.</summary>
    public int SampleCount { get; }

    /// <summary>Number of tasks (columns).</summary>
    public int TaskCount { get; }

    /// <summary>Task names in column order (<c>task_0</c>, <c>task_1</c>, … when none were given).</summary>
    public IReadOnlyList<string> TaskNames { get; }

    /// <summary>Labels of task <paramref name="task"/>, one per sample (true = positive).</summary>
    public ReadOnlySpan<bool> Labels(int task) => _labels.AsSpan(checked(task * SampleCount), SampleCount);

    /// <summary>Scores of task <paramref name="task"/>, one per sample (higher = more likely positive).</summary>
    public ReadOnlySpan<double> Scores(int task) => _scores.AsSpan(checked(task * SampleCount), SampleCount);

    /// <summary>
    /// Builds the data from row-major (C order) <c>[samples, tasks]</c> arrays, e.g. as read from .npy files.
    /// </summary>
    /// <param name="labels">Row-major labels; every value must be exactly 0 or 1.</param>
    /// <param name="scores">Row-major scores; every value must be finite.</param>
    /// <param name="sampleCount">Number of rows n (at least 1).</param>
    /// <param name="taskCount">Number of columns (at least 1).</param>
    /// <param name="taskNames">Optional names, one per task.</param>
    /// <param name="what">Name of the score array used in error messages.</param>
    /// <exception cref="ArgumentException">Empty data, a length that is not <c>n × tasks</c>, a label other than 0/1,
    /// a non-finite score or a wrong number of names. The message names the first offending row and column.</exception>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static BinaryTaskData FromRowMajor(ReadOnlySpan<double> labels, ReadOnlySpan<double> scores, int sampleCount, int taskCount,
        IReadOnlyList<string>? taskNames = null, string what = "scores")
    {
        if (sampleCount <= 0 || taskCount <= 0)
            throw new ArgumentException($"empty input: {sampleCount} samples × {taskCount} tasks (need at least one of each)");
        long expected = (long)sampleCount * taskCount;
        if (labels.Length != expected)
            throw new ArgumentException($"labels hold {labels.Length} values, expected {sampleCount} × {taskCount} = {expected}");
        if (scores.Length != expected)
            throw new ArgumentException($"{what} hold {scores.Length} values, expected {sampleCount} × {taskCount} = {expected}");
        var l = new bool[expected];
        var s = new double[expected];
        for (int i = 0; i < sampleCount; i++)
        {
            for (int t = 0; t < taskCount; t++)
            {
                double y = labels[i * taskCount + t];
                double x = scores[i * taskCount + t];
                if (y != 0.0 && y != 1.0)
                    throw new ArgumentException($"labels must be 0 or 1; found {y} at row {i}, column {t}");
                if (!double.IsFinite(x))
                    throw new ArgumentException($"{what} must be finite; found {x} at row {i}, column {t}");
                l[t * sampleCount + i] = y == 1.0;
                s[t * sampleCount + i] = x;
            }
        }
        return new BinaryTaskData(sampleCount, taskCount, l, s, Names(taskNames, taskCount));
    }

    /// <summary>Builds single-task data from one label and one score per sample.</summary>
    /// <exception cref="ArgumentException">Empty input, different lengths or a non-finite score.</exception>
    public static BinaryTaskData FromSingleTask(ReadOnlySpan<bool> labels, ReadOnlySpan<double> scores, string name = "task_0")
    {
        if (labels.Length != scores.Length)
            throw new ArgumentException($"labels ({labels.Length}) and scores ({scores.Length}) differ in length");
        if (labels.IsEmpty) throw new ArgumentException("empty input: no samples");
        for (int i = 0; i < scores.Length; i++)
            if (!double.IsFinite(scores[i])) throw new ArgumentException($"scores must be finite; found {scores[i]} at index {i}");
        return new BinaryTaskData(labels.Length, 1, labels.ToArray(), scores.ToArray(), [name]);
    }

    /// <summary>A copy with the same labels and names but other scores (for paired comparisons).</summary>
    /// <exception cref="ArgumentException">Shape mismatch or a non-finite score.</exception>
    public BinaryTaskData WithScores(ReadOnlySpan<double> rowMajorScores, string what = "scores")
    {
        long expected = (long)SampleCount * TaskCount;
        if (rowMajorScores.Length != expected)
            throw new ArgumentException($"{what} hold {rowMajorScores.Length} values, expected {SampleCount} × {TaskCount} = {expected}");
        var s = new double[expected];
        for (int i = 0; i < SampleCount; i++)
        {
            for (int t = 0; t < TaskCount; t++)
            {
                double x = rowMajorScores[i * TaskCount + t];
                if (!double.IsFinite(x)) throw new ArgumentException($"{what} must be finite; found {x} at row {i}, column {t}");
                s[t * SampleCount + i] = x;
            }
        }
        return new BinaryTaskData(SampleCount, TaskCount, _labels, s, (string[])TaskNames);
    }

    private static string[] Names(IReadOnlyList<string>? names, int taskCount)
    {
        if (names is null) return Enumerable.Range(0, taskCount).Select(t => $"task_{t}").ToArray();
        if (names.Count != taskCount) throw new ArgumentException($"{names.Count} task names given for {taskCount} tasks");
        return names.ToArray();
    }
}
