namespace EcgClip.Eval.Protocols;

/// <summary>
/// A dense row-major <c>[rows, columns]</c> float32 matrix of cached embeddings (one row per ECG, one column per
/// embedding dimension, unitless), as computed once by a frozen encoder in evaluation mode.
/// </summary>
public sealed class FeatureMatrix
{
    private readonly float[] _data;

    /// <summary>Wraps <paramref name="data"/> (not copied; do not modify it afterwards).</summary>
    /// <param name="data">Row-major values, length <paramref name="rows"/> × <paramref name="columns"/>; all finite.</param>
    /// <param name="rows">Number of rows n (at least 1).</param>
    /// <param name="columns">Embedding width d (at least 1).</param>
    /// <exception cref="ArgumentException">A wrong length, an empty shape or a non-finite value (the message names its row and column).</exception>
    public FeatureMatrix(float[] data, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (rows < 1 || columns < 1) throw new ArgumentException($"empty feature matrix: [{rows}, {columns}]");
        if (data.LongLength != (long)rows * columns)
            throw new ArgumentException($"feature data hold {data.LongLength} values, expected {rows} × {columns}");
        for (int i = 0; i < data.Length; i++)
            if (!float.IsFinite(data[i])) throw new ArgumentException($"features must be finite; found {data[i]} at row {i / columns}, column {i % columns}");
        _data = data;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Number of rows (samples), n.</summary>
    public int Rows { get; }

    /// <summary>Number of columns (embedding width), d.</summary>
    public int Columns { get; }

    /// <summary>One row (the embedding of sample <paramref name="row"/>).</summary>
    public ReadOnlySpan<float> Row(int row) => _data.AsSpan(checked(row * Columns), Columns);

    /// <summary>The row-major values.</summary>
    public ReadOnlySpan<float> Values => _data;

    /// <summary>A new matrix of the given rows, in the given order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index outside [0, Rows).</exception>
    public FeatureMatrix SelectRows(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var data = new float[rows.Count * Columns];
        for (int i = 0; i < rows.Count; i++)
        {
            if ((uint)rows[i] >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(rows), rows[i], $"row index outside [0, {Rows})");
            Row(rows[i]).CopyTo(data.AsSpan(i * Columns, Columns));
        }
        return new FeatureMatrix(data, rows.Count, Columns);
    }
}
