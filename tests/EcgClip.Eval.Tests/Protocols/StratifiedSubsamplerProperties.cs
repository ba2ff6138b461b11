using EcgClip.Eval.Protocols;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcgClip.Eval.Tests.Protocols;

public sealed class StratifiedSubsamplerProperties
{
    /// <summary>For any label matrix, fraction and seed: exactly round(f·n) distinct ascending rows (≥ 1), the same rows
    /// for the same seed, and ≥ 1 positive of every label that has one whenever the subset is at least as large as the
    /// number of such labels.</summary>
    [Property(MaxTest = 150)]
    public Property Sample_AnyLabels_SizeDeterminismAndCoverage(bool[] raw, PositiveInt labelsRaw, PositiveInt fractionRaw, ulong seed)
    {
        int labels = 1 + labelsRaw.Get % 6;
        int n = raw.Length / labels;
        if (n == 0) return true.ToProperty();
        double fraction = (1 + fractionRaw.Get % 100) / 100.0;
        var y = raw.Take(n * labels).Select(b => b ? 1f : 0f).ToArray();
        var targets = ProbeTargets.Multilabel(y, Enumerable.Range(0, labels).Select(l => $"l{l}").ToArray());
        var rows = StratifiedSubsampler.Sample(targets, fraction, seed);
        int m = fraction == 1 ? n : Math.Max(1, (int)Math.Round(fraction * n, MidpointRounding.AwayFromZero));
        bool size = rows.Length == m && rows.Distinct().Count() == m && rows.SequenceEqual(rows.Order()) && rows.All(r => r >= 0 && r < n);
        bool same = rows.SequenceEqual(StratifiedSubsampler.Sample(targets, fraction, seed));
        var present = Enumerable.Range(0, labels).Where(l => Enumerable.Range(0, n).Any(i => targets[i, l] == 1)).ToArray();
        bool covered = m < present.Length || present.All(l => rows.Any(i => targets[i, l] == 1));
        return (size && same && covered).Label($"n={n} labels={labels} f={fraction} m={m} size={size} same={same} covered={covered}");
    }
}
