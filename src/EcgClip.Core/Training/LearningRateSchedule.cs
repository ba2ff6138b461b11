namespace EcgClip.Core.Training;

/// <summary>
/// Linear warm-up then cosine decay, a pure function of the optimisation step (no state, so a resume cannot
/// desynchronise it): lr(s) = base·(s+1)/w for s &lt; w, else min + (base − min)·½(1 + cos(π·(s − w)/(T − w))).
/// The trainer applies it exactly once per optimisation step, before the step.
/// </summary>
/// <param name="BaseLearningRate">Peak learning rate.</param>
/// <param name="WarmupSteps">Warm-up steps w (≥ 0).</param>
/// <param name="TotalSteps">Total steps T (≥ 1).</param>
/// <param name="MinRatio">Floor as a fraction of the peak.</param>
public sealed record LearningRateSchedule(double BaseLearningRate, int WarmupSteps, int TotalSteps, double MinRatio = 0)
{
    /// <summary>The learning rate of optimisation step <paramref name="step"/> (0-based).</summary>
    public double At(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < WarmupSteps) return BaseLearningRate * (step + 1) / WarmupSteps;
        double min = BaseLearningRate * MinRatio;
        int span = Math.Max(1, TotalSteps - WarmupSteps);
        double progress = Math.Min(1.0, (step - WarmupSteps) / (double)span);
        return min + (BaseLearningRate - min) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
