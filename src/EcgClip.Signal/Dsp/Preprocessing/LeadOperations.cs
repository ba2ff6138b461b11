using System.Numerics;
using System.Numerics.Tensors;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Dsp.Preprocessing;

/// <summary>Lead selection, reordering and derivation of the limb leads from leads I and II.</summary>
public static class LeadOperations
{
    /// <summary>
    /// Maps target lead names onto source indices (vendor spellings accepted, see <see cref="LeadNames.TryParse"/>).
    /// </summary>
    /// <param name="sourceNames">Lead names in the source order.</param>
    /// <param name="targetNames">Wanted leads in output order.</param>
    /// <returns>For each target, its index in the source.</returns>
    /// <exception cref="ArgumentException">A target lead is absent from the source (the message lists what is there).</exception>
    public static int[] ResolveOrder(IReadOnlyList<string> sourceNames, IReadOnlyList<string> targetNames)
    {
        ArgumentNullException.ThrowIfNull(sourceNames);
        ArgumentNullException.ThrowIfNull(targetNames);
        var result = new int[targetNames.Count];
        for (int i = 0; i < targetNames.Count; i++)
        {
            int found = -1;
            bool canonical = LeadNames.TryParse(targetNames[i], out var want);
            for (int j = 0; j < sourceNames.Count && found < 0; j++)
            {
                if (canonical ? LeadNames.TryParse(sourceNames[j], out var have) && have == want
                              : string.Equals(sourceNames[j], targetNames[i], StringComparison.OrdinalIgnoreCase))
                    found = j;
            }
            if (found < 0)
                throw new ArgumentException($"lead '{targetNames[i]}' is not among the source leads ({string.Join(", ", sourceNames)})");
            result[i] = found;
        }
        return result;
    }

    /// <summary>Selects and reorders leads of a batch: <c>output[r, i, :] = input[r, indices[i], :]</c>.</summary>
    /// <exception cref="ArgumentException">Shapes disagree or an index is out of range.</exception>
    public static void Select<T>(ReadOnlySpan<T> input, Span<T> output, int records, int leads, int samples, ReadOnlySpan<int> indices)
        where T : unmanaged
    {
        if (input.Length != (long)records * leads * samples) throw new ArgumentException($"input has {input.Length} values, expected {records}×{leads}×{samples}");
        if (output.Length != (long)records * indices.Length * samples) throw new ArgumentException($"output has {output.Length} values, expected {records}×{indices.Length}×{samples}");
        foreach (int i in indices)
            if ((uint)i >= (uint)leads) throw new ArgumentException($"lead index {i} is out of range for {leads} leads");
        for (int r = 0; r < records; r++)
            for (int i = 0; i < indices.Length; i++)
                input.Slice((r * leads + indices[i]) * samples, samples).CopyTo(output.Slice((r * indices.Length + i) * samples, samples));
    }

    /// <summary>
    /// Einthoven/Goldberger: <c>III = II − I</c>, <c>aVR = −(I + II)/2</c>, <c>aVL = I − II/2</c>,
    /// <c>aVF = II − I/2</c> (mV in, mV out).
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ.</exception>
    public static void DeriveLimbLeads<T>(ReadOnlySpan<T> leadI, ReadOnlySpan<T> leadII, Span<T> leadIII, Span<T> aVR, Span<T> aVL, Span<T> aVF)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = leadI.Length;
        if (leadII.Length != n || leadIII.Length != n || aVR.Length != n || aVL.Length != n || aVF.Length != n)
            throw new ArgumentException("all leads must have the same length");
        T half = T.CreateTruncating(0.5), minusHalf = T.CreateTruncating(-0.5);
        TensorPrimitives.Subtract(leadII, leadI, leadIII);
        TensorPrimitives.Add(leadI, leadII, aVR);
        TensorPrimitives.Multiply(aVR, minusHalf, aVR);
        TensorPrimitives.MultiplyAdd(leadII, -half, leadI, aVL);
        TensorPrimitives.MultiplyAdd(leadI, -half, leadII, aVF);
    }
}
