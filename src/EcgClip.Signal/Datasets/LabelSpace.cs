namespace EcgClip.Signal.Datasets;

/// <summary>An ordered, duplicate-free list of label names; the column order of every multi-hot matrix built from it.</summary>
public sealed class LabelSpace
{
    private readonly string[] _names;
    private readonly Dictionary<string, int> _index;

    /// <summary>Creates a label space with <paramref name="names"/> in the given order; duplicates or empty names are refused.</summary>
    public LabelSpace(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _names = names.ToArray();
        _index = new Dictionary<string, int>(_names.Length, StringComparer.Ordinal);
        for (int i = 0; i < _names.Length; i++)
        {
            if (string.IsNullOrEmpty(_names[i])) throw new ArgumentException($"label {i} is empty", nameof(names));
            if (!_index.TryAdd(_names[i], i)) throw new ArgumentException($"label '{_names[i]}' appears twice", nameof(names));
        }
    }

    /// <summary>An empty label space (sources without labels).</summary>
    public static LabelSpace Empty { get; } = new([]);

    /// <summary>The names in column order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Number of labels.</summary>
    public int Count => _names.Length;

    /// <summary>Column of <paramref name="name"/>, or -1 when it is not in the space.</summary>
    public int IndexOf(string name) => _index.TryGetValue(name, out int i) ? i : -1;

    /// <summary>Whether <paramref name="name"/> is in the space.</summary>
    public bool Contains(string name) => _index.ContainsKey(name);

    /// <summary>Writes the multi-hot row for <paramref name="labels"/> (1 where present, else 0); unknown names are ignored.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Count"/>.</exception>
    public void Encode(IEnumerable<string> labels, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (destination.Length < Count) throw new ArgumentException($"destination has {destination.Length} elements, need {Count}", nameof(destination));
        destination[..Count].Clear();
        foreach (var l in labels)
            if (_index.TryGetValue(l, out int i)) destination[i] = 1f;
    }

    /// <summary>The multi-hot matrix of <paramref name="items"/>, one row per item in order.</summary>
    public MultiHotMatrix Encode(IReadOnlyList<EcgTextItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var data = new float[items.Count * Count];
        for (int r = 0; r < items.Count; r++) Encode(items[r].Labels, data.AsSpan(r * Count, Count));
        return new MultiHotMatrix(this, items.Count, data);
    }

    /// <summary>The subset of <paramref name="labels"/> in this space, in space order, without duplicates.</summary>
    public IReadOnlyList<string> Normalize(IEnumerable<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var idx = new SortedSet<int>();
        foreach (var l in labels) if (_index.TryGetValue(l, out int i)) idx.Add(i);
        var result = new string[idx.Count];
        int k = 0;
        foreach (int i in idx) result[k++] = _names[i];
        return result;
    }
}

/// <summary>A dense row-major [rows, labels] matrix of 0/1 values (float32, ready for a BCE loss or PR-AUC).</summary>
public sealed class MultiHotMatrix
{
    internal MultiHotMatrix(LabelSpace labels, int rows, float[] data)
    {
        Labels = labels;
        Rows = rows;
        Data = data;
    }

    /// <summary>The column names.</summary>
    public LabelSpace Labels { get; }
    /// <summary>Number of rows (items).</summary>
    public int Rows { get; }
    /// <summary>Number of columns (labels).</summary>
    public int Columns => Labels.Count;
    /// <summary>The values, row-major, length Rows × Columns.</summary>
    public float[] Data { get; }
    /// <summary>One row.</summary>
    public ReadOnlySpan<float> Row(int row) => Data.AsSpan(row * Columns, Columns);
    /// <summary>The value at (row, column).</summary>
    public float this[int row, int column] => Data[row * Columns + column];
    /// <summary>Number of rows where each label is present, in column order.</summary>
    public int[] PositiveCounts()
    {
        var counts = new int[Columns];
        for (int r = 0; r < Rows; r++)
        {
            var row = Row(r);
            for (int c = 0; c < row.Length; c++) if (row[c] != 0) counts[c]++;
        }
        return counts;
    }
}
