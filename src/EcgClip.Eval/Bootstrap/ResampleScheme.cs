namespace EcgClip.Eval.Bootstrap;

/// <summary>
/// How one bootstrap resample is drawn, written as a count per original sample (how often it was drawn), so that
/// metrics weighted by the counts equal the metrics on the resampled data, ties included.
/// </summary>
/// <remarks>
/// Without patient ids, n samples are drawn with replacement. With patient ids, the G distinct patients are drawn
/// with replacement G times and every sample of a drawn patient is taken once per draw (cluster bootstrap), so the
/// resample size varies.
/// </remarks>
internal sealed class ResampleScheme
{
    private readonly int[]? _clusterStarts;
    private readonly int[]? _clusterMembers;

    private ResampleScheme(int sampleCount, int[]? starts, int[]? members)
    {
        SampleCount = sampleCount;
        _clusterStarts = starts;
        _clusterMembers = members;
    }

    /// <summary>Number of original samples.</summary>
    public int SampleCount { get; }

    /// <summary>Number of patients, or null for plain resampling.</summary>
    public int? ClusterCount => _clusterStarts is null ? null : _clusterStarts.Length - 1;

    /// <summary>Plain resampling of <paramref name="sampleCount"/> samples.</summary>
    public static ResampleScheme Plain(int sampleCount) => new(sampleCount, null, null);

    /// <summary>Patient-clustered resampling; <paramref name="patientIds"/> holds one id per sample.</summary>
    public static ResampleScheme Clustered(IReadOnlyList<long> patientIds)
    {
        var index = new Dictionary<long, int>();
        var cluster = new int[patientIds.Count];
        for (int i = 0; i < cluster.Length; i++)
        {
            if (!index.TryGetValue(patientIds[i], out int c))
            {
                c = index.Count;
                index.Add(patientIds[i], c);
            }
            cluster[i] = c;
        }
        var starts = new int[index.Count + 1];
        foreach (int c in cluster) starts[c + 1]++;
        for (int c = 0; c < index.Count; c++) starts[c + 1] += starts[c];
        var fill = starts[..^1].ToArray();
        var members = new int[cluster.Length];
        for (int i = 0; i < cluster.Length; i++) members[fill[cluster[i]]++] = i;
        return new ResampleScheme(cluster.Length, starts, members);
    }

    /// <summary>
    /// Adds the draw counts of resample <paramref name="resample"/> to lane <paramref name="lane"/> of an
    /// interleaved block (<c>counts[sample * lanes + lane]</c>) and returns the resample size.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public int Fill(Span<int> counts, int lanes, int lane, ulong seed, int resample)
    {
        var rng = Xoshiro256StarStar.Create(seed, (ulong)resample);
        if (_clusterStarts is null)
        {
            uint n = (uint)SampleCount;
            for (int i = 0; i < SampleCount; i++) counts[(int)rng.NextBounded(n) * lanes + lane]++;
            return SampleCount;
        }
        int g = _clusterStarts.Length - 1, total = 0;
        for (int i = 0; i < g; i++)
        {
            int c = (int)rng.NextBounded((uint)g);
            for (int k = _clusterStarts[c]; k < _clusterStarts[c + 1]; k++) counts[_clusterMembers![k] * lanes + lane]++;
            total += _clusterStarts[c + 1] - _clusterStarts[c];
        }
        return total;
    }
}
