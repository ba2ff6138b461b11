namespace EcgClip.Eval.Protocols;

/// <summary>How the regression probe's L2 strength is chosen on the validation split.</summary>
public enum RegressionSelection
{
    /// <summary>Lowest mean absolute error (averaged over targets, in target units).</summary>
    MeanAbsoluteError,
    /// <summary>Highest coefficient of determination R² (averaged over targets).</summary>
    RSquared,
}

/// <summary>Settings of <see cref="LinearProbe"/>.</summary>
/// <remarks>
/// Classification probes are chosen by macro PRAUC (average precision) on the validation split over the outputs with
/// a validation positive; regression probes by <see cref="RegressionSelection"/>. Ties go to the stronger
/// regularisation (smaller C, larger α).
/// </remarks>
public sealed record LinearProbeOptions
{
    /// <summary>Grid of inverse L2 strengths C for logistic probes (scikit-learn's <c>C</c>; larger = weaker penalty).
    /// Default 10⁻⁴ … 10² in decades.</summary>
    public IReadOnlyList<double> InverseRegularization { get; init; } = [1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100];

    /// <summary>Grid of ridge strengths α for regression probes (scikit-learn's <c>alpha</c>, on the summed squared error).
    /// Default 10⁻¹ … 10⁵ in decades.</summary>
    public IReadOnlyList<double> RidgeAlphas { get; init; } = [1e-1, 1, 10, 1e2, 1e3, 1e4, 1e5];

    /// <summary>Validation criterion of regression probes.</summary>
    public RegressionSelection RegressionSelection { get; init; } = RegressionSelection.MeanAbsoluteError;

    /// <summary>How the strength is picked from the validation curve (default <see cref="ProbeSelection.Best"/>, the
    /// evaluation protocol; <c>train-heads</c> uses <see cref="ProbeSelection.OneStandardError"/> for deployed heads).</summary>
    public ProbeSelection Selection { get; init; } = ProbeSelection.Best;

    /// <summary>Bootstrap resamples of the validation rows behind the one-standard-error rule (default 200).</summary>
    public int SelectionResamples { get; init; } = 200;

    /// <summary>Seed of those resamples.</summary>
    public int SelectionSeed { get; init; }

    /// <summary>Newton iteration cap per fit (convergence is quadratic; 100 is never reached on standardised features).</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Worker threads over outputs; 0 or less uses every processor.</summary>
    public int MaxDegreeOfParallelism { get; init; }

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">An empty grid, a non-positive or non-finite grid value, or a non-positive iteration cap.</exception>
    public void Validate()
    {
        Check(InverseRegularization, nameof(InverseRegularization));
        Check(RidgeAlphas, nameof(RidgeAlphas));
        if (SelectionResamples < 2) throw new ArgumentException($"{nameof(SelectionResamples)} must be ≥ 2, got {SelectionResamples}");
        if (MaxIterations < 1) throw new ArgumentException($"{nameof(MaxIterations)} must be ≥ 1, got {MaxIterations}");
    }

    private static void Check(IReadOnlyList<double> grid, string name)
    {
        if (grid is null || grid.Count == 0) throw new ArgumentException($"{name} must hold at least one value");
        foreach (double v in grid)
            if (!(v > 0) || !double.IsFinite(v)) throw new ArgumentException($"{name} values must be positive and finite, got {v}");
    }
}
