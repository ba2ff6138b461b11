using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Core.Encoders;

/// <summary>
/// 1-D ResNet backbone for ECG, as MERL's <c>utils/resnet1d.py</c> (Liu et al. 2024): stem convolution (kernel
/// <see cref="EncoderConfig.StemKernel"/>, stride 2, no bias) + batch norm + ReLU, <em>without</em> max-pool unless
/// <see cref="EncoderConfig.StemPool"/> asks for the torchvision-style max-pool (kernel 3, stride 2), then one stage of
/// <see cref="BasicBlock1d"/> per entry of <see cref="EncoderConfig.Layers"/> with widths <see cref="EncoderConfig.Widths"/>
/// and strides 1, 2, 2, … (stride 2 on the first block of every stage after the first). <see cref="forward"/> averages
/// the last feature map over time. ResNet-18 and ResNet-34 are the same class with different configs.
/// </summary>
/// <remarks>
/// Component names (the checkpoint format; state-dict keys relative to this module):
/// <c>conv1.weight</c>, <c>bn1.{weight,bias,running_mean,running_var,num_batches_tracked}</c>, then for stage s and block b
/// (both from 0) <c>stages.{s}.{b}.</c> + the <see cref="BasicBlock1d"/> names. The optional max-pool has no parameters.
/// MERL's names map as <c>layer{s+1}.{b}.</c> → <c>stages.{s}.{b}.</c> and <c>shortcut.</c> → <c>downsample.</c>
/// (see <see cref="MerlStateDict"/>).
/// </remarks>
public sealed class ResNet1d : nn.Module<Tensor, Tensor>
{
    private readonly Conv1d conv1;
    private readonly BatchNorm1d bn1;
    private readonly MaxPool1d? maxpool;
    private readonly ModuleList<Sequential> stages;
    private readonly int _stemPadding;

    /// <summary>Builds the backbone described by <paramref name="config"/>.</summary>
    public ResNet1d(EncoderConfig config) : base(config.Name)
    {
        int inChannels = config.Leads.Count;
        int width = config.Widths[0];
        _stemPadding = config.StemKernel / 2;
        conv1 = nn.Conv1d(inChannels, width, config.StemKernel, stride: 2, padding: config.StemKernel / 2, bias: false);
        bn1 = nn.BatchNorm1d(width);
        if (config.StemPool) maxpool = nn.MaxPool1d(3, stride: 2, padding: 1);
        stages = new ModuleList<Sequential>();
        int current = width;
        for (int s = 0; s < config.Layers.Count; s++)
        {
            var blocks = new List<(string, nn.Module<Tensor, Tensor>)>();
            for (int b = 0; b < config.Layers[s]; b++)
            {
                int stride = (s > 0 && b == 0) ? 2 : 1;
                blocks.Add((b.ToString(System.Globalization.CultureInfo.InvariantCulture), new BasicBlock1d($"block{s}.{b}", current, config.Widths[s], stride, config.BlockKernel)));
                current = config.Widths[s];
            }
            stages.Add(nn.Sequential(blocks));
        }
        FeatureDim = current;
        RegisterComponents();
    }

    /// <summary>Channels of the last feature map (and of the pooled feature).</summary>
    public int FeatureDim { get; }

    /// <summary>How the activations are laid out while computing (results equal up to summation order); default <see cref="ActivationLayout.Auto"/>.</summary>
    public ActivationLayout Layout { get; set; }

    /// <summary>Returns the last feature map <c>[batch, FeatureDim, time]</c>, contiguous.</summary>
    public Tensor FeatureMap(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Features(x).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The last feature map <c>[batch, FeatureDim, time]</c> in the layout it was computed in (channels-last: a
    /// samples-major view, not contiguous); pooling and heads read either.
    /// </summary>
    internal Tensor Features(Tensor x)
    {
        using var scope = NewDisposeScope();
        bool channelsLast = ActivationLayouts.UseChannelsLast(Layout, x.device_type);
        var input = channelsLast ? ChannelsLastOps.ToChannelsLast(x) : x;
        // in place: batch norm's backward needs its input only
        var y = ChannelsLastOps.NormAnyLayout(bn1, ChannelsLastOps.ConvAnyLayout(conv1, input, 2, _stemPadding), training).relu_();
        if (maxpool is not null) y = channelsLast ? ChannelsLastOps.StemMaxPool(y) : maxpool.forward(y);
        foreach (var stage in stages) y = stage.forward(y);
        return (channelsLast ? ChannelsLastOps.FromChannelsLast(y) : y).MoveToOuterDisposeScope();
    }

    /// <summary>Pooled features <c>[batch, FeatureDim]</c>.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Features(x).mean([-1]).MoveToOuterDisposeScope();
    }
}
