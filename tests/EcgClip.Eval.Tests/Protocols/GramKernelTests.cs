using EcgClip.Eval.Protocols;

namespace EcgClip.Eval.Tests.Protocols;

public sealed class GramKernelTests
{
    /// <summary>Vector kernel vs scalar reference for every n in 0..(3·4 + 1) and column counts around the 2 × 4 block,
    /// full and upper-triangle, at an offset inside a larger matrix: equal within 1e-12 relative (rounding only).</summary>
    [Fact]
    public void Accumulate_AllSmallShapes_EqualsScalarReference()
    {
        var rng = new Random(5);
        foreach (int n in Enumerable.Range(0, 14).Append(37).Append(130))
            foreach (int p in new[] { 1, 2, 3, 5, 8 })
                foreach (int q in new[] { 1, 3, 4, 5, 9 })
                    foreach (bool upper in new[] { false, true })
                    {
                        if (upper && p != q) continue;
                        var a = Enumerable.Range(0, p * n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
                        var b = upper ? a : Enumerable.Range(0, q * n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
                        int ld = q + 3;
                        var fast = Enumerable.Range(0, (p + 2) * ld).Select(i => (double)i).ToArray();
                        var slow = (double[])fast.Clone();
                        GramKernel.Accumulate(a, p, b, q, n, 0.5, fast, ld, 1, 2, upper);
                        GramKernel.AccumulateScalar(a, p, b, q, n, 0.5, slow, ld, 1, 2, upper);
                        for (int i = 0; i < fast.Length; i++)
                            Assert.True(Math.Abs(fast[i] - slow[i]) <= 1e-12 * (1 + Math.Abs(slow[i])), $"n={n} p={p} q={q} upper={upper} at {i}: {fast[i]} vs {slow[i]}");
                    }
    }
}
