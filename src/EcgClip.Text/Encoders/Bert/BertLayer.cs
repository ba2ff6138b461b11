using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Text.Encoders.Bert;

#pragma warning disable IDE1006 // field names are the Hugging Face state-dict keys

/// <summary>Multi-head self-attention (<c>attention.self</c>): Q/K/V projections, scaled dot product with an additive mask.</summary>
internal sealed class BertSelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly Dropout dropout;
    private readonly int _heads;
    private readonly int _headDim;

    public BertSelfAttention(BertConfig config) : base(nameof(BertSelfAttention))
    {
        query = nn.Linear(config.HiddenSize, config.HiddenSize);
        key = nn.Linear(config.HiddenSize, config.HiddenSize);
        value = nn.Linear(config.HiddenSize, config.HiddenSize);
        dropout = nn.Dropout(config.AttentionProbsDropoutProb);
        _heads = config.NumAttentionHeads;
        _headDim = config.HiddenSize / config.NumAttentionHeads;
        RegisterComponents();
    }

    /// <param name="hidden"><c>[B, T, H]</c>.</param>
    /// <param name="additiveMask"><c>[B, 1, 1, T]</c>: 0 for tokens, float32 min for padding.</param>
    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        long b = hidden.shape[0], t = hidden.shape[1];
        Tensor Heads(Tensor x) => x.view(b, t, _heads, _headDim).transpose(1, 2);
        var q = Heads(query.forward(hidden));
        var k = Heads(key.forward(hidden));
        var v = Heads(value.forward(hidden));
        var scores = matmul(q, k.transpose(-1, -2)) / Math.Sqrt(_headDim) + additiveMask;
        var probs = dropout.forward(scores.softmax(-1));
        var context = matmul(probs, v).transpose(1, 2).reshape(b, t, _heads * _headDim);
        return context.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { query.Dispose(); key.Dispose(); value.Dispose(); dropout.Dispose(); }
        base.Dispose(disposing);
    }
}

/// <summary>Dense + dropout + residual + LayerNorm (<c>attention.output</c> and <c>output</c>).</summary>
internal sealed class BertResidualOutput : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public BertResidualOutput(int inFeatures, BertConfig config) : base(nameof(BertResidualOutput))
    {
        dense = nn.Linear(inFeatures, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input, Tensor residual)
    {
        using var scope = NewDisposeScope();
        return LayerNorm.forward(dropout.forward(dense.forward(input)) + residual).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { dense.Dispose(); LayerNorm.Dispose(); dropout.Dispose(); }
        base.Dispose(disposing);
    }
}

/// <summary><c>attention</c>: self-attention followed by its output block.</summary>
internal sealed class BertAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly BertSelfAttention self;
    private readonly BertResidualOutput output;

    public BertAttention(BertConfig config) : base(nameof(BertAttention))
    {
        self = new BertSelfAttention(config);
        output = new BertResidualOutput(config.HiddenSize, config);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var context = self.forward(hidden, additiveMask);
        return output.forward(context, hidden);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { self.Dispose(); output.Dispose(); }
        base.Dispose(disposing);
    }
}

/// <summary><c>intermediate</c>: dense + GELU (erf form).</summary>
internal sealed class BertIntermediate : nn.Module<Tensor, Tensor>
{
    private readonly Linear dense;

    public BertIntermediate(BertConfig config) : base(nameof(BertIntermediate))
    {
        dense = nn.Linear(config.HiddenSize, config.IntermediateSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        using var x = dense.forward(hidden);
        return nn.functional.gelu(x);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) dense.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>One encoder layer (<c>encoder.layer.N</c>).</summary>
internal sealed class BertLayer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly BertAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertResidualOutput output;

    public BertLayer(BertConfig config) : base(nameof(BertLayer))
    {
        attention = new BertAttention(config);
        intermediate = new BertIntermediate(config);
        output = new BertResidualOutput(config.IntermediateSize, config);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var attended = attention.forward(hidden, additiveMask);
        var inner = intermediate.forward(attended);
        return output.forward(inner, attended).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { attention.Dispose(); intermediate.Dispose(); output.Dispose(); }
        base.Dispose(disposing);
    }
}
#pragma warning restore IDE1006
