using EcgClip.Eval.Bootstrap;

namespace EcgClip.Eval.Protocols;

/// <summary>Settings of <see cref="DataEfficiencyRunner"/>.</summary>
public sealed record DataEfficiencyOptions
{
    /// <summary>Fractions of the training rows (and so of its labels), each in (0, 1]. Default 1%, 10%, 100%.</summary>
    public IReadOnlyList<double> Fractions { get; init; } = [0.01, 0.1, 1.0];

    /// <summary>Subsampling seeds; each fraction below 1 is run once per seed. Default 0, 1, 2.</summary>
    public IReadOnlyList<ulong> Seeds { get; init; } = [0, 1, 2];

    /// <summary>Probe settings (grids, selection criterion, threads).</summary>
    public LinearProbeOptions Probe { get; init; } = new();

    /// <summary>Bootstrap of the test metrics (resamples, seed, level; patient ids come from the test split).</summary>
    public BootstrapOptions Bootstrap { get; init; } = new();

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">No fraction or seed, a fraction outside (0, 1], a repeated fraction or seed, or invalid probe options.</exception>
    public void Validate()
    {
        if (Fractions is null || Fractions.Count == 0) throw new ArgumentException("need at least one label fraction");
        if (Seeds is null || Seeds.Count == 0) throw new ArgumentException("need at least one seed");
        foreach (double f in Fractions)
            if (!(f > 0 && f <= 1)) throw new ArgumentException($"label fractions must be in (0, 1], got {f}");
        if (Fractions.Distinct().Count() != Fractions.Count) throw new ArgumentException("label fractions repeat");
        if (Seeds.Distinct().Count() != Seeds.Count) throw new ArgumentException("seeds repeat");
        ArgumentNullException.ThrowIfNull(Probe);
        ArgumentNullException.ThrowIfNull(Bootstrap);
        Probe.Validate();
    }
}
