namespace EcgClip.Signal.Records;

/// <summary>
/// One recorded channel. <see cref="Physical"/> holds values in <see cref="Units"/> (normally mV), with NaN for
/// samples the format marks invalid. Where the format stores integers, <see cref="Digital"/> keeps them losslessly
/// and <c>Physical[i] = (Digital[i] - Baseline) / Gain</c>.
/// </summary>
public sealed class EcgChannel
{
    /// <summary>Creates a channel; <paramref name="physical"/> and <paramref name="digital"/> (when given) must have equal length.</summary>
    public EcgChannel(string name, double[] physical, int[]? digital = null, double gain = 1.0, int baseline = 0, string units = "mV", int? invalidValue = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(physical);
        if (digital is not null && digital.Length != physical.Length)
            throw new ArgumentException($"channel '{name}': digital length {digital.Length} differs from physical length {physical.Length}");
        Name = name;
        Physical = physical;
        Digital = digital;
        Gain = gain;
        Baseline = baseline;
        Units = units;
        InvalidValue = invalidValue;
        Lead = LeadNames.TryParse(name, out var lead) ? lead : null;
    }

    /// <summary>The name as stored in the file (e.g. "AVL").</summary>
    public string Name { get; }

    /// <summary>The canonical lead this channel is, if it is one of the standard 12.</summary>
    public Lead? Lead { get; }

    /// <summary>Samples in physical units (<see cref="Units"/>); NaN where the stored value is invalid.</summary>
    public double[] Physical { get; }

    /// <summary>Stored integer samples where the format has them; null for formats that store floats.</summary>
    public int[]? Digital { get; }

    /// <summary>ADC units per physical unit.</summary>
    public double Gain { get; }

    /// <summary>Digital value that corresponds to 0 physical units.</summary>
    public int Baseline { get; }

    /// <summary>Physical units, normally "mV".</summary>
    public string Units { get; }

    /// <summary>The digital value the format uses for a missing sample, if any.</summary>
    public int? InvalidValue { get; }

    /// <summary>Number of samples.</summary>
    public int Length => Physical.Length;
}
