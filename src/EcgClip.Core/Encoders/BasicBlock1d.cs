using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Core.Encoders;

/// <summary>
/// The ResNet basic block in 1-D: two <c>k</c>-wide convolutions with batch norm, a ReLU between them and a
/// residual connection (a strided 1×1 convolution + batch norm when the shape changes). He et al. 2016; the same
/// block as MERL's <c>BasicBlock</c> in <c>utils/resnet1d.py</c> (padding k/2, no conv bias).
/// </summary>
/// <remarks>
/// Component names (the checkpoint format): <c>conv1.weight</c>, <c>bn1.*</c>, <c>conv2.weight</c>, <c>bn2.*</c> and, when
/// the stride or width changes, <c>downsample.0.weight</c> (1×1 conv) and <c>downsample.1.*</c> (batch norm); batch-norm
/// entries are <c>weight</c>, <c>bias</c>, <c>running_mean</c>, <c>running_var</c>, <c>num_batches_tracked</c>.
/// MERL calls the residual branch <c>shortcut</c>.
/// </remarks>
public sealed class BasicBlock1d : nn.Module<Tensor, Tensor>
{
    private readonly Conv1d conv1;
    private readonly BatchNorm1d bn1;
    private readonly Conv1d conv2;
    private readonly BatchNorm1d bn2;
    private readonly Sequential? downsample;
    private readonly int _stride;
    private readonly int _padding;

    /// <summary>Creates a block mapping <paramref name="inChannels"/> to <paramref name="outChannels"/> with the given stride.</summary>
    public BasicBlock1d(string name, int inChannels, int outChannels, int stride, int kernel) : base(name)
    {
        _stride = stride;
        _padding = kernel / 2;
        conv1 = nn.Conv1d(inChannels, outChannels, kernel, stride: stride, padding: kernel / 2, bias: false);
        bn1 = nn.BatchNorm1d(outChannels);
        conv2 = nn.Conv1d(outChannels, outChannels, kernel, stride: 1, padding: kernel / 2, bias: false);
        bn2 = nn.BatchNorm1d(outChannels);
        if (stride != 1 || inChannels != outChannels)
            downsample = nn.Sequential(
                ("0", nn.Conv1d(inChannels, outChannels, 1, stride: stride, bias: false)),
                ("1", nn.BatchNorm1d(outChannels)));
        RegisterComponents();
    }

    /// <summary>The block on [batch, channels, samples], or on a channels-last [batch, channels, 1, samples] (<see cref="ChannelsLastOps"/>).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var identity = downsample is null ? x : Downsample(x);
        // In place: batch norm's backward needs its input, not its output, and the residual add needs neither, so the
        // ReLUs and the add may overwrite the fresh outputs (what torchvision's ReLU(inplace=True) does): two
        // activation-sized allocations and passes fewer per block in training and inference.
        var y = ChannelsLastOps.NormAnyLayout(bn1, ChannelsLastOps.ConvAnyLayout(conv1, x, _stride, _padding), training).relu_();
        y = ChannelsLastOps.NormAnyLayout(bn2, ChannelsLastOps.ConvAnyLayout(conv2, y, 1, _padding), training);
        return y.add_(identity).relu_().MoveToOuterDisposeScope();
    }

    private Tensor Downsample(Tensor x) =>
        ChannelsLastOps.NormAnyLayout((BatchNorm1d)downsample![1], ChannelsLastOps.ConvAnyLayout((Conv1d)downsample[0], x, _stride, 0), training);
}
