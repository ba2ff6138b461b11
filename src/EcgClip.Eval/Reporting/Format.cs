using System.Globalization;
using EcgClip.Eval.Bootstrap;

namespace EcgClip.Eval.Reporting;

/// <summary>Invariant number formatting shared by the writers.</summary>
internal static class Format
{
    /// <summary>Round-trip text of <paramref name="value"/> ("R", invariant); empty for null or NaN.</summary>
    public static string Number(double? value) =>
        value is double v && !double.IsNaN(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    /// <summary><paramref name="value"/> with <paramref name="digits"/> decimals; "–" for null or NaN.</summary>
    public static string Fixed(double? value, int digits = 3) =>
        value is double v && !double.IsNaN(v) ? v.ToString("F" + digits, CultureInfo.InvariantCulture) : "–";

    /// <summary>"0.812 [0.771, 0.850]", or the value alone without an interval.</summary>
    public static string WithInterval(double? value, ConfidenceInterval? ci, int digits = 3) =>
        ci is ConfidenceInterval c ? $"{Fixed(value, digits)} [{Fixed(c.Lower, digits)}, {Fixed(c.Upper, digits)}]" : Fixed(value, digits);

    /// <summary>A fraction as a percentage: 0.1 → "10%".</summary>
    public static string Percent(double fraction) => (fraction * 100).ToString("0.###", CultureInfo.InvariantCulture) + "%";
}
