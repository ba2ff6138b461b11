namespace EcgClip.Signal.Records;

/// <summary>The twelve standard ECG leads, in canonical order (the enum value is the canonical index).</summary>
public enum Lead
{
    /// <summary>Lead I.</summary>
    I = 0,
    /// <summary>Lead II.</summary>
    II = 1,
    /// <summary>Lead III.</summary>
    III = 2,
    /// <summary>Augmented vector right.</summary>
    AVR = 3,
    /// <summary>Augmented vector left.</summary>
    AVL = 4,
    /// <summary>Augmented vector foot.</summary>
    AVF = 5,
    /// <summary>Precordial V1.</summary>
    V1 = 6,
    /// <summary>Precordial V2.</summary>
    V2 = 7,
    /// <summary>Precordial V3.</summary>
    V3 = 8,
    /// <summary>Precordial V4.</summary>
    V4 = 9,
    /// <summary>Precordial V5.</summary>
    V5 = 10,
    /// <summary>Precordial V6.</summary>
    V6 = 11,
}

/// <summary>Canonical lead names and the mapping of vendor spellings (AVL, avl, "Lead II", MDC codes ...) onto them.</summary>
public static class LeadNames
{
    /// <summary>The canonical 12-lead order: I, II, III, aVR, aVL, aVF, V1–V6.</summary>
    public static readonly IReadOnlyList<string> Canonical12 = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"];

    /// <summary>The canonical display name of <paramref name="lead"/>.</summary>
    public static string Name(Lead lead) => Canonical12[(int)lead];

    /// <summary>
    /// Maps a vendor spelling to a canonical lead: case-insensitive, ignores spaces, dashes, underscores and a
    /// "lead"/"MDC_ECG_LEAD_" prefix; accepts AVR/aVR/avr, V1..V6, and roman or arabic limb numbers (1, 2, 3).
    /// </summary>
    public static bool TryParse(string? name, out Lead lead)
    {
        lead = default;
        if (string.IsNullOrWhiteSpace(name)) return false;
        Span<char> buf = stackalloc char[Math.Min(name.Length, 64)];
        int n = 0;
        foreach (char c in name)
        {
            if (n == buf.Length) return false;
            if (c is ' ' or '-' or '_' or '.' or '\t') continue;
            buf[n++] = char.ToUpperInvariant(c);
        }
        ReadOnlySpan<char> s = buf[..n];
        if (s.StartsWith("MDCECGLEAD")) s = s["MDCECGLEAD".Length..];
        else if (s.StartsWith("LEAD")) s = s["LEAD".Length..];
        switch (s)
        {
            case "I": case "1": lead = Lead.I; return true;
            case "II": case "2": lead = Lead.II; return true;
            case "III": case "3": lead = Lead.III; return true;
            case "AVR": case "VR": lead = Lead.AVR; return true;
            case "AVL": case "VL": lead = Lead.AVL; return true;
            case "AVF": case "VF": lead = Lead.AVF; return true;
            case "V1": lead = Lead.V1; return true;
            case "V2": lead = Lead.V2; return true;
            case "V3": lead = Lead.V3; return true;
            case "V4": lead = Lead.V4; return true;
            case "V5": lead = Lead.V5; return true;
            case "V6": lead = Lead.V6; return true;
            default: return false;
        }
    }
}
