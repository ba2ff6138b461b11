using EcgClip.Core.Abstractions;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// What a probe is trained to predict for each sample: binary or multi-label 0/1 labels, one class index, or
/// continuous values (in the target's own units, e.g. years for age or % for LVEF).
/// </summary>
/// <remarks>
/// Values are stored row-major as <c>[rows, outputs]</c>: 0/1 for <see cref="TaskKind.Binary"/> and
/// <see cref="TaskKind.Multilabel"/>, the one-hot class for <see cref="TaskKind.Multiclass"/> (so every classification
/// kind is scored the same way, one-vs-rest), and the values for <see cref="TaskKind.Regression"/>. Regression rows
/// must be complete: callers drop samples with a missing (NaN) target first.
/// </remarks>
public sealed class ProbeTargets
{
    private readonly double[] _values;

    private ProbeTargets(TaskKind kind, double[] values, int rows, string[] names)
    {
        Kind = kind;
        _values = values;
        Rows = rows;
        Names = names;
    }

    /// <summary>The task kind.</summary>
    public TaskKind Kind { get; }

    /// <summary>Number of samples.</summary>
    public int Rows { get; }

    /// <summary>Output names in column order (labels, classes or targets).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Number of outputs (columns).</summary>
    public int Outputs => Names.Count;

    /// <summary>Row-major <c>[rows, outputs]</c> values (see the remarks of the type).</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>The value of sample <paramref name="row"/> for output <paramref name="output"/>.</summary>
    public double this[int row, int output] => _values[row * Outputs + output];

    /// <summary>Multi-label (or, with one column, binary) 0/1 labels.</summary>
    /// <param name="labels">Row-major <c>[rows, names.Count]</c> values, each exactly 0 or 1 (e.g. a multi-hot matrix).</param>
    /// <param name="names">Label names, one per column.</param>
    /// <exception cref="ArgumentException">A wrong length or a value other than 0/1.</exception>
    public static ProbeTargets Multilabel(ReadOnlySpan<float> labels, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        int rows = RowsOf(labels.Length, names.Count);
        var v = new double[labels.Length];
        for (int i = 0; i < v.Length; i++)
        {
            if (labels[i] != 0f && labels[i] != 1f) throw new ArgumentException($"labels must be 0 or 1; found {labels[i]} at row {i / names.Count}, column {i % names.Count}");
            v[i] = labels[i];
        }
        return new ProbeTargets(names.Count == 1 ? TaskKind.Binary : TaskKind.Multilabel, v, rows, names.ToArray());
    }

    /// <summary>One binary label per sample.</summary>
    public static ProbeTargets Binary(ReadOnlySpan<bool> labels, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (labels.IsEmpty) throw new ArgumentException("no samples");
        var v = new double[labels.Length];
        for (int i = 0; i < v.Length; i++) v[i] = labels[i] ? 1 : 0;
        return new ProbeTargets(TaskKind.Binary, v, labels.Length, [name]);
    }

    /// <summary>One class index per sample (stored one-hot).</summary>
    /// <param name="classes">Class index per sample, in [0, classNames.Count).</param>
    /// <param name="classNames">At least two class names.</param>
    /// <exception cref="ArgumentException">Fewer than two classes or an index out of range.</exception>
    public static ProbeTargets Multiclass(ReadOnlySpan<int> classes, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count < 2) throw new ArgumentException("a multiclass task needs at least two classes");
        if (classes.IsEmpty) throw new ArgumentException("no samples");
        int k = classNames.Count;
        var v = new double[classes.Length * k];
        for (int i = 0; i < classes.Length; i++)
        {
            if ((uint)classes[i] >= (uint)k) throw new ArgumentException($"class index {classes[i]} at row {i} is outside [0, {k})");
            v[i * k + classes[i]] = 1;
        }
        return new ProbeTargets(TaskKind.Multiclass, v, classes.Length, classNames.ToArray());
    }

    /// <summary>Continuous targets in their own units.</summary>
    /// <param name="values">Row-major <c>[rows, names.Count]</c> finite values.</param>
    /// <param name="names">Target names, one per column.</param>
    /// <exception cref="ArgumentException">A wrong length or a non-finite value.</exception>
    public static ProbeTargets Regression(ReadOnlySpan<double> values, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        int rows = RowsOf(values.Length, names.Count);
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i])) throw new ArgumentException($"regression targets must be finite (drop missing rows first); found {values[i]} at row {i / names.Count}");
        return new ProbeTargets(TaskKind.Regression, values.ToArray(), rows, names.ToArray());
    }

    /// <summary>The class index of each row (the column holding 1); multiclass only.</summary>
    internal int[] ClassIndices()
    {
        var c = new int[Rows];
        for (int i = 0; i < Rows; i++)
            for (int k = 0; k < Outputs; k++)
                if (_values[i * Outputs + k] == 1) c[i] = k;
        return c;
    }

    /// <summary>A new target set of the given rows, in the given order.</summary>
    public ProbeTargets SelectRows(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var v = new double[rows.Count * Outputs];
        for (int i = 0; i < rows.Count; i++)
        {
            if ((uint)rows[i] >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(rows), rows[i], $"row index outside [0, {Rows})");
            _values.AsSpan(rows[i] * Outputs, Outputs).CopyTo(v.AsSpan(i * Outputs, Outputs));
        }
        return new ProbeTargets(Kind, v, rows.Count, (string[])Names);
    }

    private static int RowsOf(int length, int columns)
    {
        if (columns < 1) throw new ArgumentException("need at least one output name");
        if (length == 0 || length % columns != 0) throw new ArgumentException($"{length} values do not form rows of {columns} outputs");
        return length / columns;
    }
}
