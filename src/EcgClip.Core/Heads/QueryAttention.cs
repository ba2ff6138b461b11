using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Core.Heads;

/// <summary>
/// Multi-head scaled dot-product attention (Vaswani et al. 2017) with batch-first inputs, numerically the forward pass
/// of PyTorch's <c>nn.MultiheadAttention(embed, heads, batch_first=True)</c> without dropout or masks:
/// head_h = softmax(q_h k_hᵀ / √d) v_h with q = query·W_qᵀ + b_q, k = key·W_kᵀ + b_k, v = value·W_vᵀ + b_v, d = embed/heads,
/// then out_proj over the concatenated heads.
/// </summary>
/// <remarks>
/// Component names equal PyTorch's, so MERL's <c>mhsa.*</c> weights load unchanged: <c>in_proj_weight</c>
/// <c>[3·embed, embed]</c> (W_q; W_k; W_v stacked), <c>in_proj_bias</c> <c>[3·embed]</c>, <c>out_proj.weight</c>, <c>out_proj.bias</c>.
/// Initialisation as PyTorch: Xavier-uniform in_proj_weight, zero biases.
/// </remarks>
public sealed class QueryAttention : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly Parameter in_proj_weight;
    private readonly Parameter in_proj_bias;
    private readonly Linear out_proj;
    private readonly int _embed;
    private readonly int _heads;

    /// <summary>Creates attention over <paramref name="embedDim"/>-wide tokens with <paramref name="heads"/> heads.</summary>
    /// <exception cref="ArgumentException"><paramref name="embedDim"/> is not a positive multiple of <paramref name="heads"/>.</exception>
    public QueryAttention(int embedDim, int heads) : base("mhsa")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        if (embedDim < 1 || embedDim % heads != 0) throw new ArgumentException($"embedding width {embedDim} must be a positive multiple of the head count {heads}", nameof(embedDim));
        _embed = embedDim;
        _heads = heads;
        in_proj_weight = new Parameter(empty(3L * embedDim, embedDim));
        in_proj_bias = new Parameter(zeros(3L * embedDim));
        out_proj = nn.Linear(embedDim, embedDim);
        using (no_grad())
        {
            nn.init.xavier_uniform_(in_proj_weight);
            nn.init.zeros_(out_proj.bias!);
        }
        RegisterComponents();
    }

    /// <summary>Attends <paramref name="query"/> <c>[batch, q, embed]</c> over <paramref name="key"/>/<paramref name="value"/> <c>[batch, k, embed]</c>; returns <c>[batch, q, embed]</c>.</summary>
    public override Tensor forward(Tensor query, Tensor key, Tensor value)
    {
        using var scope = NewDisposeScope();
        var w = in_proj_weight.chunk(3, 0);
        var b = in_proj_bias.chunk(3, 0);
        long batch = query.shape[0];
        int d = _embed / _heads;
        Tensor Heads(Tensor x) => x.reshape(batch, x.shape[1], _heads, d).transpose(1, 2); // [batch, heads, tokens, d]
        var q = Heads(nn.functional.linear(query, w[0], b[0]));
        var k = Heads(nn.functional.linear(key, w[1], b[1]));
        var v = Heads(nn.functional.linear(value, w[2], b[2]));
        var attention = (q.matmul(k.transpose(-2, -1)) / Math.Sqrt(d)).softmax(-1);
        var heads = attention.matmul(v).transpose(1, 2).reshape(batch, query.shape[1], _embed);
        return out_proj.forward(heads).MoveToOuterDisposeScope();
    }
}
