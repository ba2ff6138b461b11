using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Core.Heads;

/// <summary>
/// Attention pooling over a 1-D feature map, as MERL's ResNet head (<c>downconv</c> + <c>AttentionPool2d</c> in
/// <c>utils/utils_builder.py</c>, after CLIP's <c>attnpool</c>): a 1×1 convolution maps the map <c>[batch, channels, time]</c>
/// to <c>embed</c> channels; a learnable class token (plus position 0 of the learnable positional embedding) is prepended
/// to the <c>time</c> tokens (plus positions 1..time); the class token alone attends over all tokens with
/// <see cref="QueryAttention"/>; a linear <c>c_proj</c> maps the attended token to the output <c>[batch, out]</c>.
/// </summary>
/// <remarks>
/// The positional embedding has a fixed length, so the feature map must be exactly <see cref="Length"/> steps long
/// (MERL: 313 for 10 s at 500 Hz with its stem, i.e. ⌈samples/16⌉).
/// Component names (the checkpoint format): <c>downconv.weight</c>, <c>downconv.bias</c>, <c>positional_embedding</c>
/// <c>[1, time+1, embed]</c>, <c>cls_token</c> <c>[1, 1, embed]</c>, <c>mhsa.*</c> (see <see cref="QueryAttention"/>),
/// <c>c_proj.weight</c>, <c>c_proj.bias</c>. MERL's <c>downconv.*</c> and <c>att_pool_head.*</c> map onto them one to one.
/// Initialisation as MERL: positional embedding ~ N(0, 1)/embed, class token ~ N(0, 1).
/// </remarks>
public sealed class AttentionPool1d : nn.Module<Tensor, Tensor>
{
    private readonly Conv1d downconv;
    private readonly Parameter positional_embedding;
    private readonly Parameter cls_token;
    private readonly QueryAttention mhsa;
    private readonly Linear c_proj;

    /// <summary>Creates the pool.</summary>
    /// <param name="inputChannels">Channels of the feature map.</param>
    /// <param name="length">Time steps of the feature map.</param>
    /// <param name="embedDim">Attention width (output of the 1×1 convolution).</param>
    /// <param name="heads">Attention heads (must divide <paramref name="embedDim"/>).</param>
    /// <param name="outputDim">Output width.</param>
    public AttentionPool1d(int inputChannels, int length, int embedDim, int heads, int outputDim) : base("pool")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputDim, 1);
        Length = length;
        downconv = nn.Conv1d(inputChannels, embedDim, 1);
        positional_embedding = new Parameter(randn(1, length + 1, embedDim) / embedDim);
        cls_token = new Parameter(randn(1, 1, embedDim));
        mhsa = new QueryAttention(embedDim, heads);
        c_proj = nn.Linear(embedDim, outputDim);
        RegisterComponents();
    }

    /// <summary>Time steps the feature map must have.</summary>
    public int Length { get; }

    /// <summary>Pools <paramref name="map"/> <c>[batch, channels, Length]</c> to <c>[batch, out]</c>.</summary>
    /// <exception cref="ArgumentException">The map is not <see cref="Length"/> steps long.</exception>
    public override Tensor forward(Tensor map)
    {
        if (map.dim() != 3 || map.shape[2] != Length)
            throw new ArgumentException($"attention pooling was built for feature maps of {Length} steps, got [{string.Join(", ", map.shape)}]; set attentionLength to ceil(samples / 16) (ceil(samples / 32) with stemPool)", nameof(map));
        using var scope = NewDisposeScope();
        long batch = map.shape[0];
        var tokens = downconv.forward(map).permute(0, 2, 1); // [batch, time, embed]
        var cls = (cls_token + positional_embedding[.., ..1, ..]).expand(batch, -1, -1);
        var x = cat([cls, tokens], 1) + positional_embedding;
        var pooled = c_proj.forward(mhsa.forward(x[.., ..1, ..], x, x));
        return pooled.reshape(batch, -1).MoveToOuterDisposeScope();
    }
}
