using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Eval.Saliency;

/// <summary>Options of <see cref="IntegratedGradients"/>.</summary>
public sealed record IntegratedGradientsOptions
{
    /// <summary>Points on the path from the baseline to the input (default 64).</summary>
    public int Steps { get; init; } = 64;

    /// <summary>Path points evaluated per forward/backward pass (default 16): trades memory for passes.</summary>
    public int PointsPerPass { get; init; } = 16;

    /// <summary>The baseline x′; null = all zeros (a flat ECG at 0 mV, i.e. no signal, after z-scoring the mean level).</summary>
    public Tensor? Baseline { get; init; }
}

/// <summary>
/// Integrated gradients (Sundararajan, Taly and Yan, "Axiomatic Attribution for Deep Networks", ICML 2017):
/// IG_i(x) = (x_i − x′_i) · ∫₀¹ ∂f(x′ + α(x − x′))/∂x_i dα, approximated by the trapezoidal rule on
/// <see cref="IntegratedGradientsOptions.Steps"/> intervals. Completeness: Σ_i IG_i = f(x) − f(x′) up to the
/// quadrature error, which <see cref="SaliencyMap.ScoreDifference"/> lets callers check.
/// </summary>
public static class IntegratedGradients
{
    /// <summary>Attributions of each ECG of <paramref name="ecg"/> <c>[batch, leads, samples]</c>.</summary>
    public static SaliencyMap Compute(SaliencyModel model, Tensor ecg, IntegratedGradientsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Core.Native.TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
        ArgumentNullException.ThrowIfNull(ecg);
        options ??= new IntegratedGradientsOptions();
        if (options.Steps < 1) throw new ArgumentOutOfRangeException(nameof(options), $"steps must be positive, got {options.Steps}");
        if (options.PointsPerPass < 1) throw new ArgumentOutOfRangeException(nameof(options), $"points per pass must be positive, got {options.PointsPerPass}");
        if (ecg.dim() != 3) throw new ArgumentException($"expected ECGs [batch, leads, samples], got [{string.Join(", ", ecg.shape)}]", nameof(ecg));
        using var scope = NewDisposeScope();
        using var frozen = model.FreezeParameters();
        var x = ecg.detach();
        var baseline = options.Baseline?.detach().to(x.dtype, x.device) ?? zeros_like(x);
        if (!baseline.shape.SequenceEqual(x.shape)) baseline = baseline.expand_as(x);
        var delta = x - baseline;
        long batch = x.shape[0];
        int m = options.Steps;
        // Trapezoid weights over α_k = k/m, k = 0..m: 1/(2m) at the ends, 1/m inside.
        var alphas = Enumerable.Range(0, m + 1).Select(k => (double)k / m).ToArray();
        var weights = alphas.Select((_, k) => (k == 0 || k == m ? 0.5 : 1.0) / m).ToArray();
        var parts = new List<Tensor>();
        using (var grad = enable_grad())
        {
            for (int start = 0; start <= m; start += options.PointsPerPass)
            {
                using var passScope = NewDisposeScope();
                int count = Math.Min(options.PointsPerPass, m + 1 - start);
                var a = torch.tensor(alphas[start..(start + count)], x.dtype, x.device).view(count, 1, 1, 1);
                var w = torch.tensor(weights[start..(start + count)], x.dtype, x.device).view(count, 1, 1, 1);
                var points = (baseline.unsqueeze(0) + a * delta.unsqueeze(0)).reshape(count * batch, x.shape[1], x.shape[2]).detach().clone().requires_grad_(true);
                var (score, _) = model.Forward(points);
                score.sum().backward();
                var g = points.grad!.view(count, batch, x.shape[1], x.shape[2]);
                parts.Add((g * w).sum(dim: 0L).detach().MoveToOuterDisposeScope());
            }
        }
        // Note: .sum(0) would bind to sum(ScalarType? type) (a literal 0 converts to any enum) and sum everything as bytes.
        var attributions = stack(parts).sum(dim: 0L) * delta;
        double[] difference;
        using (no_grad())
        {
            var (fx, _) = model.Forward(x);
            var (fb, _) = model.Forward(baseline);
            difference = (fx - fb).to(float64).cpu().data<double>().ToArray();
        }
        return SaliencyMap.FromTensor("integrated_gradients", attributions) with { ScoreDifference = difference };
    }
}
