using EcgClip.Signal.Records;

namespace EcgClip.Signal.Formats.Xml;

/// <summary>
/// Collects the leads a vendor file stores and produces the 12 canonical channels, deriving III, aVR, aVL and aVF
/// from I and II when they are absent (Einthoven / Goldberger: III = II − I, aVR = −(I+II)/2, aVL = I − II/2,
/// aVF = II − I/2). Derivation is done in ADC units when I and II share gain and baseline, else in mV; derived
/// channels have no <see cref="EcgChannel.Digital"/> because the halves are not integers.
/// </summary>
internal sealed class LeadSetBuilder
{
    private readonly string _source;
    private readonly string _what;
    private readonly int[]?[] _digital = new int[]?[12];
    private readonly double[]?[] _physical = new double[]?[12];
    private readonly double[] _gain = new double[12];
    private readonly int[] _baseline = new int[12];
    private readonly string?[] _names = new string?[12];
    private int _length = -1;

    public LeadSetBuilder(string source, string what)
    {
        _source = source;
        _what = what;
    }

    /// <summary>Number of samples per lead, or -1 before the first lead.</summary>
    public int Length => _length;

    public bool Has(Lead lead) => _physical[(int)lead] is not null;

    /// <summary>Adds integer samples with <paramref name="mvPerUnit"/> mV per ADC unit above <paramref name="baseline"/>.</summary>
    public void AddDigital(Lead lead, string name, int[] digital, double mvPerUnit, int baseline = 0)
    {
        if (!(mvPerUnit > 0) || !double.IsFinite(mvPerUnit))
            throw new EcgFormatException(_source, $"{_what}: lead {name}: amplitude resolution {mvPerUnit} mV/unit is not positive and finite");
        var physical = new double[digital.Length];
        for (int i = 0; i < digital.Length; i++) physical[i] = (digital[i] - baseline) * mvPerUnit;
        Add(lead, name, physical, digital, 1.0 / mvPerUnit, baseline);
    }

    /// <summary>Adds samples already in mV.</summary>
    public void AddPhysical(Lead lead, string name, double[] physical) => Add(lead, name, physical, null, 1.0, 0);

    private void Add(Lead lead, string name, double[] physical, int[]? digital, double gain, int baseline)
    {
        int k = (int)lead;
        if (_physical[k] is not null)
            throw new EcgFormatException(_source, $"{_what}: lead {LeadNames.Name(lead)} appears twice");
        if (_length >= 0 && physical.Length != _length)
            throw new EcgFormatException(_source, $"{_what}: lead {name} has {physical.Length} samples, expected {_length}");
        _length = physical.Length;
        _physical[k] = physical;
        _digital[k] = digital;
        _gain[k] = gain;
        _baseline[k] = baseline;
        _names[k] = name;
    }

    /// <summary>The 12 channels in canonical order; throws when a lead is missing and cannot be derived.</summary>
    public EcgChannel[] Build()
    {
        if (_length <= 0)
            throw new EcgFormatException(_source, $"{_what}: no samples");
        DeriveLimbLeads();
        var channels = new EcgChannel[12];
        for (int k = 0; k < 12; k++)
        {
            var physical = _physical[k]
                ?? throw new EcgFormatException(_source, $"{_what}: lead {LeadNames.Canonical12[k]} is missing");
            channels[k] = _digital[k] is { } d
                ? new EcgChannel(LeadNames.Canonical12[k], physical, d, _gain[k], _baseline[k])
                : new EcgChannel(LeadNames.Canonical12[k], physical);
        }
        return channels;
    }

    private void DeriveLimbLeads()
    {
        bool anyMissing = false;
        for (int k = (int)Lead.III; k <= (int)Lead.AVF; k++) anyMissing |= _physical[k] is null;
        if (!anyMissing) return;
        var i1 = _physical[(int)Lead.I];
        var i2 = _physical[(int)Lead.II];
        if (i1 is null || i2 is null)
            throw new EcgFormatException(_source, $"{_what}: limb leads missing and cannot be derived without leads I and II");
        int n = _length;
        int[]? d1 = _digital[(int)Lead.I], d2 = _digital[(int)Lead.II];
        bool adc = d1 is not null && d2 is not null
                   && _gain[(int)Lead.I] == _gain[(int)Lead.II] && _baseline[(int)Lead.I] == _baseline[(int)Lead.II];
        double mvPerUnit = adc ? 1.0 / _gain[(int)Lead.I] : 1.0;
        int b = adc ? _baseline[(int)Lead.I] : 0;
        double[]? iii = _physical[(int)Lead.III] is null ? new double[n] : null;
        double[]? avr = _physical[(int)Lead.AVR] is null ? new double[n] : null;
        double[]? avl = _physical[(int)Lead.AVL] is null ? new double[n] : null;
        double[]? avf = _physical[(int)Lead.AVF] is null ? new double[n] : null;
        for (int t = 0; t < n; t++)
        {
            // In ADC units relative to the baseline (exact), scaled once; or directly in mV.
            double a = adc ? d1![t] - b : i1[t];
            double c = adc ? d2![t] - b : i2[t];
            if (iii is not null) iii[t] = (c - a) * mvPerUnit;
            if (avr is not null) avr[t] = -(a + c) / 2 * mvPerUnit;
            if (avl is not null) avl[t] = (a - c / 2) * mvPerUnit;
            if (avf is not null) avf[t] = (c - a / 2) * mvPerUnit;
        }
        if (iii is not null) AddPhysical(Lead.III, "III", iii);
        if (avr is not null) AddPhysical(Lead.AVR, "aVR", avr);
        if (avl is not null) AddPhysical(Lead.AVL, "aVL", avl);
        if (avf is not null) AddPhysical(Lead.AVF, "aVF", avf);
    }
}
