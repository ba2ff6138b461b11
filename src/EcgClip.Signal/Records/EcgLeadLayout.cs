namespace EcgClip.Signal.Records;

/// <summary>
/// Puts a record's channels into the canonical 12-lead order (I, II, III, aVR, aVL, aVF, V1–V6), deriving the
/// limb leads III, aVR, aVL and aVF from I and II when the source stores only 8 leads
/// (Einthoven/Goldberger: III = II − I, aVR = −(I + II)/2, aVL = I − II/2, aVF = II − I/2, all in mV).
/// </summary>
public static class EcgLeadLayout
{
    /// <summary>True when the record has exactly the 12 standard leads, in canonical order.</summary>
    public static bool IsCanonical12(EcgRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Channels.Count != 12) return false;
        for (int i = 0; i < 12; i++)
            if (record.Channels[i].Lead != (Lead)i) return false;
        return true;
    }

    /// <summary>The canonical lead of each channel (null for non-standard channels such as Frank vx/vy/vz).</summary>
    public static Lead?[] LeadsOf(EcgRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Channels.Select(c => c.Lead).ToArray();
    }

    /// <summary>
    /// A record with the 12 standard leads in canonical order, named by their canonical names. Non-standard channels
    /// are dropped; missing III/aVR/aVL/aVF are derived from I and II when <paramref name="deriveLimbLeads"/> is true.
    /// Throws <see cref="EcgFormatException"/> when a lead is duplicated or missing (and cannot be derived).
    /// </summary>
    public static EcgRecord ToCanonical12(EcgRecord record, bool deriveLimbLeads = true)
    {
        ArgumentNullException.ThrowIfNull(record);
        string source = record.SourcePath ?? record.Name;
        var slots = new EcgChannel?[12];
        foreach (var c in record.Channels)
        {
            if (c.Lead is not Lead lead) continue;
            if (slots[(int)lead] is not null)
                throw new EcgFormatException(source, $"lead {LeadNames.Name(lead)} appears twice (channels '{slots[(int)lead]!.Name}' and '{c.Name}')");
            slots[(int)lead] = c;
        }
        if (deriveLimbLeads && slots[0] is { } i && slots[1] is { } ii)
        {
            slots[2] ??= Derive("III", i, ii, -1, 1, exactDigital: true);
            slots[3] ??= Derive("aVR", i, ii, -0.5, -0.5, exactDigital: false);
            slots[4] ??= Derive("aVL", i, ii, 1, -0.5, exactDigital: false);
            slots[5] ??= Derive("aVF", i, ii, -0.5, 1, exactDigital: false);
        }
        var channels = new EcgChannel[12];
        for (int k = 0; k < 12; k++)
        {
            var c = slots[k] ?? throw new EcgFormatException(source, $"lead {LeadNames.Canonical12[k]} is missing" +
                (k is >= 2 and <= 5 && deriveLimbLeads ? " and cannot be derived (needs I and II)" : ""));
            channels[k] = c.Name == LeadNames.Canonical12[k]
                ? c
                : new EcgChannel(LeadNames.Canonical12[k], c.Physical, c.Digital, c.Gain, c.Baseline, c.Units, c.InvalidValue);
        }
        return new EcgRecord(record.Name, record.SamplingRate, channels, record.Metadata, record.Statements, record.Labels, record.SourcePath);
    }

    /// <summary>physical = a·I + b·II in mV; III also gets exact digital values when I and II share gain and baseline.</summary>
    private static EcgChannel Derive(string name, EcgChannel i, EcgChannel ii, double a, double b, bool exactDigital)
    {
        int n = i.Length;
        var p = new double[n];
        var pi = i.Physical;
        var pii = ii.Physical;
        if (a == -1 && b == 1)
            for (int t = 0; t < n; t++) p[t] = pii[t] - pi[t];
        else
            for (int t = 0; t < n; t++) p[t] = a * pi[t] + b * pii[t];
        int[]? digital = null;
        if (exactDigital && i.Digital is { } di && ii.Digital is { } dii && i.Gain == ii.Gain && i.Baseline == ii.Baseline)
        {
            digital = new int[n];
            int inv = i.InvalidValue ?? int.MinValue;
            for (int t = 0; t < n; t++)
                digital[t] = di[t] == inv || dii[t] == ii.InvalidValue ? inv : dii[t] - di[t] + i.Baseline;
            return new EcgChannel(name, p, digital, i.Gain, i.Baseline, i.Units, i.InvalidValue);
        }
        return new EcgChannel(name, p, null, 1.0, 0, i.Units);
    }
}
