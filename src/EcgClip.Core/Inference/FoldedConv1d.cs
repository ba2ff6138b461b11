using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Core.Inference;

/// <summary>
/// A 1-D convolution with a batch norm folded into it (eval-mode statistics): weight
/// <c>W·γ/√(σ²+ε)</c> per output channel and bias <c>β − μ·γ/√(σ²+ε)</c>. Its parameters never require gradients.
/// </summary>
internal sealed class FoldedConv1d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly long _stride;
    private readonly long _padding;
    private bool _roundOutput;

    private FoldedConv1d(string name, Tensor foldedWeight, Tensor foldedBias, long stride, long padding) : base(name)
    {
        weight = new Parameter(foldedWeight, requires_grad: false);
        bias = new Parameter(foldedBias, requires_grad: false);
        _stride = stride;
        _padding = padding;
        RegisterComponents();
    }

    /// <summary>Folds <paramref name="norm"/> (its running statistics, affine weight and ε) into the bias-free <paramref name="convWeight"/>.</summary>
    public static FoldedConv1d Fold(string name, Tensor convWeight, BatchNorm1d norm, long stride, long padding, bool channelsLast = false)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var mean = norm.running_mean ?? throw new ArgumentException($"batch norm of '{name}' tracks no running mean; it cannot be folded");
        var variance = norm.running_var ?? throw new ArgumentException($"batch norm of '{name}' tracks no running variance; it cannot be folded");
        // Fold in float64 so that the folded float32 model matches the unfolded one to rounding.
        var w = convWeight.detach().to(float64);
        var gamma = norm.weight is null ? ones_like(mean, dtype: float64) : norm.weight.detach().to(float64);
        var beta = norm.bias is null ? zeros_like(mean, dtype: float64) : norm.bias.detach().to(float64);
        var scale = gamma / (variance.detach().to(float64) + norm.eps).sqrt();
        var foldedWeight = (w * scale.view(-1, 1, 1)).to(float32).contiguous();
        // Channels-last: the Conv2d weight [out, in, 1, k] in channels-last strides, the layout oneDNN's brgemm kernels
        // take without a copy per call (conversions to float32/bf16 and other devices preserve it).
        if (channelsLast) foldedWeight = Encoders.ChannelsLastOps.ToChannelsLast(foldedWeight);
        var foldedBias = (beta - mean.detach().to(float64) * scale).to(float32).contiguous();
        var module = new FoldedConv1d(name, foldedWeight.MoveToOuterDisposeScope(), foldedBias.MoveToOuterDisposeScope(), stride, padding);
        return module;
    }

    /// <summary>Rounds the folded weight and bias to bf16 values and makes <see cref="forward"/> round its output (emulated bf16).</summary>
    public void EmulateBf16()
    {
        using var noGrad = no_grad();
        Precision.Bf16Execution.RoundInPlace(weight);
        Precision.Bf16Execution.RoundInPlace(bias);
        _roundOutput = true;
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        var y = weight.dim() == 4
            ? Encoders.ChannelsLastOps.Conv(weight, bias, x, _stride, _padding)
            : nn.functional.conv1d(x, weight, bias, stride: _stride, padding: _padding);
        return _roundOutput ? Precision.Bf16Execution.RoundInPlace(y) : y;
    }
}
