using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Inference;

/// <summary>
/// The inference form of <see cref="Encoders.BasicBlock1d"/>: Conv+BN pairs folded into <see cref="FoldedConv1d"/>, the
/// ReLUs and the residual add in place on the block's own intermediate tensors, each intermediate freed as soon as it
/// is consumed so that the next allocation reuses its memory.
/// </summary>
internal sealed class FoldedBasicBlock1d : nn.Module<Tensor, Tensor>
{
    private readonly FoldedConv1d conv1;
    private readonly FoldedConv1d conv2;
    private readonly FoldedConv1d? downsample;
    private bool _roundSums;

    public FoldedBasicBlock1d(string name, FoldedConv1d conv1, FoldedConv1d conv2, FoldedConv1d? downsample) : base(name)
    {
        this.conv1 = conv1;
        this.conv2 = conv2;
        this.downsample = downsample;
        RegisterComponents();
    }

    /// <summary>Emulated bf16: the convolutions round weights and outputs, the residual sum is rounded too.</summary>
    public void EmulateBf16()
    {
        conv1.EmulateBf16();
        conv2.EmulateBf16();
        downsample?.EmulateBf16();
        _roundSums = true;
    }

    /// <summary>relu(conv2(relu(conv1(x))) + shortcut(x)); never modifies <paramref name="x"/>.</summary>
    public override Tensor forward(Tensor x)
    {
        Tensor z;
        using (var y = conv1.forward(x).relu_()) z = conv2.forward(y);
        if (downsample is null) z.add_(x);
        else
            using (var identity = downsample.forward(x)) z.add_(identity);
        if (_roundSums) Precision.Bf16Execution.RoundInPlace(z);
        return z.relu_();
    }
}
