using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Eval.Saliency;

/// <summary>
/// Gradient saliency (Simonyan et al. 2014): ∂f/∂x per lead and sample; and gradient × input (Shrikumar et al. 2016),
/// x ⊙ ∂f/∂x, a first-order estimate of each sample's contribution. The scores of a batch are summed before
/// differentiating, which gives each ECG its own gradient because in evaluation mode ECGs do not interact.
/// </summary>
public static class GradientSaliency
{
    /// <summary>∂f/∂x for each ECG of <paramref name="ecg"/> <c>[batch, leads, samples]</c>.</summary>
    public static SaliencyMap Gradient(SaliencyModel model, Tensor ecg) => SaliencyMap.FromTensor("gradient", InputGradient(model, ecg));

    /// <summary>x ⊙ ∂f/∂x for each ECG.</summary>
    public static SaliencyMap GradientTimesInput(SaliencyModel model, Tensor ecg)
    {
        using var scope = NewDisposeScope();
        using var frozen = model.FreezeParameters();
        return SaliencyMap.FromTensor("gradient_x_input", InputGradient(model, ecg) * ecg.detach());
    }

    /// <summary>∂(Σ_b f(x_b))/∂x as a tensor of the input's shape (detached).</summary>
    internal static Tensor InputGradient(SaliencyModel model, Tensor ecg)
    {
        ArgumentNullException.ThrowIfNull(model);
        Core.Native.TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
        ArgumentNullException.ThrowIfNull(ecg);
        if (ecg.dim() != 3) throw new ArgumentException($"expected ECGs [batch, leads, samples], got [{string.Join(", ", ecg.shape)}]", nameof(ecg));
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        var x = ecg.detach().clone().requires_grad_(true);
        var (score, _) = model.Forward(x);
        score.sum().backward();
        return x.grad!.detach().clone().MoveToOuterDisposeScope();
    }
}
