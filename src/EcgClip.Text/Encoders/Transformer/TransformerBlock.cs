using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Text.Encoders.Transformer;

#pragma warning disable IDE1006 // field names are state-dict keys (PyTorch style)

/// <summary>Multi-head self-attention with a fused QKV projection and an additive key mask.</summary>
internal sealed class SelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear qkv;
    private readonly Linear out_proj;
    private readonly Dropout dropout;
    private readonly int _heads;

    public SelfAttention(int width, int heads, double dropoutP) : base(nameof(SelfAttention))
    {
        qkv = nn.Linear(width, 3 * width);
        out_proj = nn.Linear(width, width);
        dropout = nn.Dropout(dropoutP);
        _heads = heads;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1], w = x.shape[2], d = w / _heads;
        var parts = qkv.forward(x).view(b, t, 3, _heads, d).permute(2, 0, 3, 1, 4); // [3, B, heads, T, d]
        var q = parts[0];
        var k = parts[1];
        var v = parts[2];
        var scores = matmul(q, k.transpose(-1, -2)) / Math.Sqrt(d) + additiveMask;
        var context = matmul(dropout.forward(scores.softmax(-1)), v).transpose(1, 2).reshape(b, t, w);
        return out_proj.forward(context).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { qkv.Dispose(); out_proj.Dispose(); dropout.Dispose(); }
        base.Dispose(disposing);
    }
}

/// <summary>Pre-LayerNorm Transformer block: <c>x + attn(LN(x))</c>, then <c>x + MLP(LN(x))</c> with GELU.</summary>
internal sealed class TransformerBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly LayerNorm ln_1;
    private readonly SelfAttention attn;
    private readonly LayerNorm ln_2;
    private readonly Linear fc;
    private readonly Linear proj;
    private readonly Dropout dropout;

    public TransformerBlock(TransformerTextEncoderConfig config) : base(nameof(TransformerBlock))
    {
        ln_1 = nn.LayerNorm(config.Width);
        attn = new SelfAttention(config.Width, config.Heads, config.Dropout);
        ln_2 = nn.LayerNorm(config.Width);
        fc = nn.Linear(config.Width, config.FeedForwardWidth);
        proj = nn.Linear(config.FeedForwardWidth, config.Width);
        dropout = nn.Dropout(config.Dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var h = x + dropout.forward(attn.forward(ln_1.forward(x), additiveMask));
        var m = proj.forward(nn.functional.gelu(fc.forward(ln_2.forward(h))));
        return (h + dropout.forward(m)).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { ln_1.Dispose(); attn.Dispose(); ln_2.Dispose(); fc.Dispose(); proj.Dispose(); dropout.Dispose(); }
        base.Dispose(disposing);
    }
}
#pragma warning restore IDE1006
