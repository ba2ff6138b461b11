using EcgClip.Testing;

namespace EcgClip.Text.Tests.Training;

/// <summary>
/// A small ECG–report data set for text-tower training tests: a few distinct reports (repeated, with case and spacing
/// variants that normalise to the same text), each ECG a sine whose frequency depends on its report.
/// </summary>
internal sealed class SyntheticPairs(int train, int validation = 0, int test = 0, int length = 64)
    : SyntheticEcgTextDataset("synthetic-pairs", Reports, train, validation, test, length, variantSpellings: true)
{
    public static readonly string[] Reports =
    [
        "Sinus rhythm. Normal ECG.",
        "atrial fibrillation with rapid ventricular response",
        "left bundle branch block",
        "old inferior myocardial infarction",
        "sinusrhythmus, uberdrehter linkstyp",
    ];
}
