using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Core.Training.Optimization;

/// <summary>
/// Gradient-norm clipping as <c>torch.nn.utils.clip_grad_norm_</c> (norm type 2) without a host sync: the total norm
/// N = ‖(‖g₁‖₂, …, ‖gₖ‖₂)‖₂ over all gradients, each gradient scaled in place by min(1, maxNorm / (N + 1e-6)).
/// </summary>
public static class GradientClipping
{
    /// <summary>
    /// Clips the gradients of <paramref name="parameters"/> (those without a gradient are skipped) and returns the
    /// pre-clip total norm as a new 0-d float32 tensor on the gradients' device (the caller owns it; zero when no
    /// parameter has a gradient).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not positive and finite.</exception>
    public static Tensor ClipNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0) || double.IsInfinity(maxNorm)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "must be positive and finite");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var grads = new List<Tensor>();
        foreach (var p in parameters)
        {
            var g = p.grad;
            if (g is not null) grads.Add(g);
        }
        if (grads.Count == 0) return zeros([], ScalarType.Float32).MoveToOuterDisposeScope();
        // Norms in the gradients' dtype, as PyTorch; float32 when gradients of different dtypes are mixed.
        bool mixed = grads.Any(g => g.dtype != grads[0].dtype);
        var norms = grads.Select(g => mixed ? linalg.vector_norm(g, 2.0).to(ScalarType.Float32) : linalg.vector_norm(g, 2.0)).ToArray();
        var total = linalg.vector_norm(stack(norms), 2.0);
        var coefficient = (maxNorm / (total + 1e-6)).clamp_max(1.0);
        foreach (var g in grads) g.mul_(coefficient.to(g.dtype));
        return total.to(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
