namespace EcgClip.Eval.Training;

/// <summary>
/// Class prompts for zero-shot classification during pretraining: several templates per PTB-XL diagnostic superclass,
/// in German (the language of most PTB-XL reports) and English; the class embedding averages them
/// (<see cref="Protocols.ZeroShotClassifier.ClassEmbeddings"/>).
/// </summary>
public static class ZeroShotPrompts
{
    /// <summary>Prompts per PTB-XL superclass (NORM, MI, STTC, CD, HYP).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> PtbXlSuperclasses { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
    {
        ["NORM"] = ["sinusrhythmus normales ekg", "normales ekg", "normal ecg", "sinus rhythm, normal ecg"],
        ["MI"] = ["myokardinfarkt", "alter inferiorer infarkt", "anteroseptaler infarkt", "myocardial infarction"],
        ["STTC"] = ["st-t veränderungen", "st-senkung", "t-negativierung", "st/t abnormality, ischemia"],
        ["CD"] = ["linksschenkelblock", "rechtsschenkelblock", "av block", "conduction disturbance, bundle branch block"],
        ["HYP"] = ["linksventrikuläre hypertrophie", "linkstyp lvh", "rechtsventrikuläre hypertrophie", "left ventricular hypertrophy"],
    };
}
