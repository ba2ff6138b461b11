namespace EcgClip.Signal.Dsp.Filters;

/// <summary>The band type of an IIR filter design (scipy's <c>btype</c>).</summary>
public enum FilterBandType
{
    /// <summary>Passes frequencies below the cut-off (one critical frequency).</summary>
    LowPass,
    /// <summary>Passes frequencies above the cut-off (one critical frequency).</summary>
    HighPass,
    /// <summary>Passes frequencies between the two critical frequencies.</summary>
    BandPass,
    /// <summary>Rejects frequencies between the two critical frequencies.</summary>
    BandStop,
}

/// <summary>
/// A digital IIR filter as second-order sections, row-major <c>[sections, 6]</c> with rows
/// <c>[b0, b1, b2, a0, a1, a2]</c> and <c>a0 = 1</c>: exactly scipy's <c>output='sos'</c> layout and order.
/// Immutable.
/// </summary>
public sealed class SecondOrderSections
{
    private readonly double[] _coefficients;

    /// <summary>Creates sections from a row-major array of length <c>6 × sections</c>; every <c>a0</c> must be 1.</summary>
    /// <exception cref="ArgumentException">The length is not a positive multiple of 6, a coefficient is not finite, or an <c>a0</c> is not 1.</exception>
    public SecondOrderSections(ReadOnlySpan<double> rowMajor)
    {
        if (rowMajor.Length == 0 || rowMajor.Length % 6 != 0)
            throw new ArgumentException($"second-order sections need 6 coefficients per section, got {rowMajor.Length}", nameof(rowMajor));
        for (int i = 0; i < rowMajor.Length; i++)
            if (!double.IsFinite(rowMajor[i]))
                throw new ArgumentException($"second-order section coefficient {i} is not finite ({rowMajor[i]})", nameof(rowMajor));
        for (int s = 0; s < rowMajor.Length / 6; s++)
            if (rowMajor[s * 6 + 3] != 1.0)
                throw new ArgumentException($"section {s}: a0 must be 1 (got {rowMajor[s * 6 + 3]})", nameof(rowMajor));
        _coefficients = rowMajor.ToArray();
    }

    /// <summary>Number of sections.</summary>
    public int Count => _coefficients.Length / 6;

    /// <summary>Coefficient <paramref name="column"/> (0..5: b0, b1, b2, a0, a1, a2) of section <paramref name="section"/>.</summary>
    public double this[int section, int column] => _coefficients[section * 6 + column];

    /// <summary>All coefficients, row-major <c>[sections, 6]</c>.</summary>
    public ReadOnlySpan<double> RowMajor => _coefficients;

    /// <summary>
    /// scipy's default <c>sosfiltfilt</c> pad length: <c>3 × (2·sections + 1 − min(#(b2 = 0), #(a2 = 0)))</c>.
    /// </summary>
    public int DefaultPadLength
    {
        get
        {
            int zb = 0, za = 0;
            for (int s = 0; s < Count; s++)
            {
                if (this[s, 2] == 0) zb++;
                if (this[s, 5] == 0) za++;
            }
            return 3 * (2 * Count + 1 - Math.Min(zb, za));
        }
    }
}

/// <summary>A digital filter as a transfer function <c>B(z)/A(z)</c> (scipy's <c>b, a</c>), coefficients in powers of z⁻¹.</summary>
/// <param name="B">Numerator coefficients.</param>
/// <param name="A">Denominator coefficients; <c>A[0]</c> must be non-zero.</param>
public sealed record TransferFunction(double[] B, double[] A)
{
    /// <summary>scipy's default <c>filtfilt</c> pad length: <c>3 × max(len(a), len(b))</c>.</summary>
    public int DefaultPadLength => 3 * Math.Max(A.Length, B.Length);
}
