using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Eval.Saliency;

/// <summary>
/// Grad-CAM for 1-D ECG encoders (Selvaraju et al., "Grad-CAM", ICCV 2017): with A the last convolutional feature map
/// <c>[channels, time]</c> and f the score, channel weights w_k = mean_t ∂f/∂A_k(t), map(t) = ReLU(Σ_k w_k A_k(t)),
/// linearly interpolated to the input's sample count and scaled to [0, 1] per ECG (all zeros when nothing is positive).
/// The map is one row per ECG (<see cref="SaliencyMap.Leads"/> = 1): the feature map mixes all leads.
/// </summary>
public static class GradCam1d
{
    /// <summary>Grad-CAM maps for each ECG of <paramref name="ecg"/> <c>[batch, leads, samples]</c>.</summary>
    /// <exception cref="InvalidOperationException">The model exposes no feature map.</exception>
    public static SaliencyMap Compute(SaliencyModel model, Tensor ecg)
    {
        ArgumentNullException.ThrowIfNull(model);
        Core.Native.TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
        ArgumentNullException.ThrowIfNull(ecg);
        if (ecg.dim() != 3) throw new ArgumentException($"expected ECGs [batch, leads, samples], got [{string.Join(", ", ecg.shape)}]", nameof(ecg));
        using var scope = NewDisposeScope();
        using var frozen = model.FreezeParameters();
        Tensor cam;
        using (var grad = enable_grad())
        {
            var x = ecg.detach().clone().requires_grad_(true); // keeps the graph alive when the parameters are frozen
            var (score, map) = model.Forward(x);
            if (map is null) throw new InvalidOperationException("Grad-CAM needs the model's feature map: build the SaliencyModel from a function that returns (score, feature map), e.g. via IEcgEncoder.EncodeWithFeatureMap");
            map.retain_grad();
            score.sum().backward();
            var g = map.grad!;
            var w = g.mean([-1], keepdim: true);                       // [B, C, 1]
            cam = nn.functional.relu((w * map).sum(1, keepdim: true)).detach(); // [B, 1, T']
        }
        var up = nn.functional.interpolate(cam, size: [ecg.shape[2]], mode: InterpolationMode.Linear, align_corners: false);
        var max = up.amax([-1], keepdim: true);
        var scaled = torch.where(max > 0, up / max.clamp_min(1e-30), zeros_like(up));
        return SaliencyMap.FromTensor("gradcam", scaled);
    }
}
