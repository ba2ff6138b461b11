using static TorchSharp.torch;

namespace EcgClip.Core.Training.Optimization;

/// <summary>
/// Linear warm-up then cosine decay, a pure function of the optimisation step (so resuming cannot desynchronise it; call
/// <see cref="Apply"/> once per optimiser step, before <c>step()</c>):
/// lr(s) = base·(s+1)/W for s &lt; W; else with p = (s−W)/(T−W) clamped to [0, 1],
/// lr(s) = base·[r + (1−r)·½(1 + cos πp)], r = <c>minLrRatio</c>. W = warm-up steps, T = total steps.
/// </summary>
public sealed class WarmupCosineSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentOutOfRangeException">baseLr &lt; 0, warmupSteps &lt; 0, totalSteps &lt; 1, warmupSteps &gt; totalSteps, or minLrRatio outside [0, 1].</exception>
    public WarmupCosineSchedule(double baseLr, int warmupSteps, int totalSteps, double minLrRatio = 0)
    {
        if (!(baseLr >= 0) || double.IsInfinity(baseLr)) throw new ArgumentOutOfRangeException(nameof(baseLr), baseLr, "must be finite and ≥ 0");
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(warmupSteps, totalSteps);
        if (!(minLrRatio >= 0 && minLrRatio <= 1)) throw new ArgumentOutOfRangeException(nameof(minLrRatio), minLrRatio, "must lie in [0, 1]");
        BaseLr = baseLr;
        WarmupSteps = warmupSteps;
        TotalSteps = totalSteps;
        MinLrRatio = minLrRatio;
    }

    /// <summary>Peak learning rate.</summary>
    public double BaseLr { get; }

    /// <summary>Linear warm-up length W.</summary>
    public int WarmupSteps { get; }

    /// <summary>Step T at which the cosine reaches <see cref="BaseLr"/>·<see cref="MinLrRatio"/>.</summary>
    public int TotalSteps { get; }

    /// <summary>Final learning rate as a fraction of <see cref="BaseLr"/>.</summary>
    public double MinLrRatio { get; }

    /// <summary>The learning rate of 0-based optimisation step <paramref name="step"/> (steps past T keep the final rate).</summary>
    public double LearningRate(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < WarmupSteps) return BaseLr * (step + 1) / WarmupSteps;
        int decaySteps = TotalSteps - WarmupSteps;
        double progress = decaySteps == 0 ? 1.0 : Math.Min(1.0, (double)(step - WarmupSteps) / decaySteps);
        return BaseLr * (MinLrRatio + (1 - MinLrRatio) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }

    /// <summary>Sets the learning rate of every param group of <paramref name="optimizer"/> to <see cref="LearningRate"/>(<paramref name="step"/>).</summary>
    public void Apply(optim.Optimizer optimizer, int step)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        double lr = LearningRate(step);
        foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
    }
}
