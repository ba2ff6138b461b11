using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Core.Encoders;

/// <summary>
/// The ResNet encoders' operations on channels-last activations (<see cref="ActivationLayout.ChannelsLast"/>): a
/// [batch, channels, samples] signal is held as a [batch, channels, 1, samples] tensor whose channels vary fastest
/// (PyTorch's channels_last memory format), and the 1-D convolutions and batch norms run as their 2-D forms on it with
/// the very same parameters (a k-wide Conv1d weight [out, in, k] is the Conv2d weight [out, in, 1, k]). libtorch keeps
/// the channels-last format through convolution, batch norm, ReLU and addition, forward and backward.
/// </summary>
internal static class ChannelsLastOps
{
    /// <summary>[batch, channels, samples] (any layout) to the channels-last [batch, channels, 1, samples].</summary>
    public static Tensor ToChannelsLast(Tensor x)
    {
        using var scope = NewDisposeScope();
        // [N, C, L] → [N, 1, L, C] contiguous → viewed back as [N, C, 1, L]: strides (C·L, 1, C·L, C).
        return x.unsqueeze(2).permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2).MoveToOuterDisposeScope();
    }

    /// <summary>Back to [batch, channels, samples] (a view: samples-major strides, not contiguous).</summary>
    public static Tensor FromChannelsLast(Tensor x) => x.squeeze(2);

    /// <summary>A Conv1d (no bias, no dilation, one group: the encoders' convolutions) on a channels-last input.</summary>
    public static Tensor Conv(Conv1d conv, Tensor x, long stride, long padding) =>
        Conv(conv.weight!, null, x, stride, padding);

    /// <summary>A 1-D convolution by its [out, in, k] or channels-last [out, in, 1, k] weight on a channels-last input.</summary>
    public static Tensor Conv(Tensor weight, Tensor? bias, Tensor x, long stride, long padding)
    {
        using var weight4 = weight.dim() == 4 ? weight.alias() : weight.unsqueeze(2);
        return nn.functional.conv2d(x, weight4, bias, strides: [1, stride], padding: [0, padding]);
    }

    /// <summary>
    /// A BatchNorm1d on a channels-last input: what its own forward does (count the batch, update the running statistics
    /// in training), which checks for 2-D or 3-D inputs only.
    /// </summary>
    public static Tensor Norm(BatchNorm1d norm, Tensor x, bool training)
    {
        double factor = norm.momentum ?? 0.0;
        if (training && norm.track_running_stats && norm.num_batches_tracked is not null)
        {
            norm.num_batches_tracked.add_(1);
            if (norm.momentum is null or 0) factor = 1.0 / norm.num_batches_tracked.item<long>();
        }
        bool useBatchStatistics = training || norm.running_mean is null || norm.running_var is null;
        bool passStatistics = !training || norm.track_running_stats;
        return nn.functional.batch_norm(x, passStatistics ? norm.running_mean : null, passStatistics ? norm.running_var : null,
            norm.weight, norm.bias, useBatchStatistics, factor, norm.eps);
    }

    /// <summary>The module's own forward on [batch, channels, samples], its channels-last form on a 4-D input.</summary>
    public static Tensor ConvAnyLayout(Conv1d conv, Tensor x, long stride, long padding) =>
        x.dim() == 4 ? Conv(conv, x, stride, padding) : conv.forward(x);

    /// <summary>The module's own forward on [batch, channels, samples], <see cref="Norm"/> on a 4-D input.</summary>
    public static Tensor NormAnyLayout(BatchNorm1d norm, Tensor x, bool training) =>
        x.dim() == 4 ? Norm(norm, x, training) : norm.forward(x);

    /// <summary>MaxPool1d(3, stride 2, padding 1) (the torchvision-style stem pool) on a channels-last input.</summary>
    public static Tensor StemMaxPool(Tensor x) => nn.functional.max_pool2d(x, [1, 3], strides: [1, 2], padding: [0, 1]);
}
