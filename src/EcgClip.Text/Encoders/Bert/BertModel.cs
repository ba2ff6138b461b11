using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Text.Encoders.Bert;

#pragma warning disable IDE1006 // field names are the Hugging Face state-dict keys

/// <summary>The layer stack (<c>encoder</c>), holding <c>encoder.layer.N</c>.</summary>
internal sealed class BertEncoderStack : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<BertLayer> layer;

    public BertEncoderStack(BertConfig config) : base(nameof(BertEncoderStack))
    {
        layer = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new BertLayer(config)).ToArray());
        RegisterComponents();
    }

    public IReadOnlyList<BertLayer> Layers => layer.ToList();

    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var h = hidden;
        foreach (var l in layer) h = l.forward(h, additiveMask);
        return h.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) layer.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>The pooler (<c>pooler.dense</c>): <c>tanh(W · h[CLS] + b)</c>.</summary>
internal sealed class BertPooler : nn.Module<Tensor, Tensor>
{
    private readonly Linear dense;

    public BertPooler(BertConfig config) : base(nameof(BertPooler))
    {
        dense = nn.Linear(config.HiddenSize, config.HiddenSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor lastHidden)
    {
        using var cls = lastHidden.select(1, 0);
        return FromCls(cls);
    }

    /// <summary><c>tanh(W · cls + b)</c> of the <c>[CLS]</c> states <c>[B, hidden]</c>.</summary>
    public Tensor FromCls(Tensor cls)
    {
        using var scope = NewDisposeScope();
        return dense.forward(cls).tanh().MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) dense.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>
/// Hugging Face <c>BertModel</c> in TorchSharp; parameter names equal HF's (<c>embeddings.word_embeddings.weight</c>,
/// <c>encoder.layer.0.attention.self.query.weight</c>, …, <c>pooler.dense.weight</c>).
/// </summary>
internal sealed class BertModel : nn.Module<Tensor, Tensor, (Tensor LastHiddenState, Tensor PoolerOutput)>
{
    private readonly BertEmbeddings embeddings;
    private readonly BertEncoderStack encoder;
    private readonly BertPooler pooler;

    public BertModel(BertConfig config) : base(nameof(BertModel))
    {
        config.Validate();
        Config = config;
        embeddings = new BertEmbeddings(config);
        encoder = new BertEncoderStack(config);
        pooler = new BertPooler(config);
        RegisterComponents();
    }

    public BertConfig Config { get; }

    public nn.Module Embeddings => embeddings;

    public IReadOnlyList<BertLayer> Layers => encoder.Layers;

    /// <summary>Runs the pooler on a last hidden state.</summary>
    public Tensor Pool(Tensor lastHidden) => pooler.forward(lastHidden);

    /// <summary>Runs the pooler on <c>[CLS]</c> states <c>[B, hidden]</c>.</summary>
    public Tensor PoolCls(Tensor cls) => pooler.FromCls(cls);

    /// <summary>The pooler (<c>pooler.dense</c>).</summary>
    public nn.Module Pooler => pooler;

    /// <summary>Last hidden state only (no pooler).</summary>
    public Tensor Encode(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        // HF: extended mask = (1 - mask) * finfo(float32).min, broadcast over heads and queries.
        var additive = (1.0f - attentionMask.to_type(ScalarType.Float32)).mul(float.MinValue).view(attentionMask.shape[0], 1, 1, attentionMask.shape[1]);
        var h = embeddings.forward(inputIds);
        return encoder.forward(h, additive).MoveToOuterDisposeScope();
    }

    public override (Tensor LastHiddenState, Tensor PoolerOutput) forward(Tensor inputIds, Tensor attentionMask)
    {
        var last = Encode(inputIds, attentionMask);
        return (last, pooler.forward(last));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { embeddings.Dispose(); encoder.Dispose(); pooler.Dispose(); }
        base.Dispose(disposing);
    }
}
#pragma warning restore IDE1006
