using EcgClip.Core.Abstractions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Text.Encoders.Transformer;

/// <summary>
/// A report Transformer trained from scratch: token + learned position embeddings, pre-LayerNorm blocks, a final
/// LayerNorm, CLS or masked-mean pooling and a linear projection to <see cref="OutputDim"/>. Padded keys are masked
/// out of attention, so appending padding never changes a report's embedding.
/// </summary>
public sealed class TransformerTextEncoder : ITextEncoder
{
    private readonly TransformerTextTower _tower;

    /// <summary>Builds the tower with seeded initial weights (<see cref="TransformerTextEncoderConfig.Seed"/>).</summary>
    public TransformerTextEncoder(TransformerTextEncoderConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        _tower = new TransformerTextTower(config);
    }

    /// <summary>The architecture.</summary>
    public TransformerTextEncoderConfig Config { get; }

    /// <inheritdoc/>
    public int OutputDim => Config.OutputDim;

    /// <inheritdoc/>
    public int MaxLength => Config.MaxLength;

    /// <inheritdoc/>
    public nn.Module Module => _tower;

    /// <summary>Freezes (true) or unfreezes (false) every parameter.</summary>
    public void SetFrozen(bool frozen)
    {
        foreach (var p in _tower.parameters()) p.requires_grad = !frozen;
    }

    /// <inheritdoc/>
    public Tensor Encode(Tensor inputIds, Tensor attentionMask)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(attentionMask);
        if (inputIds.dim() != 2 || !inputIds.shape.SequenceEqual(attentionMask.shape))
            throw new ArgumentException($"input ids [{string.Join(", ", inputIds.shape)}] and attention mask [{string.Join(", ", attentionMask.shape)}] must both be [batch, tokens]");
        if (inputIds.shape[1] < 1 || inputIds.shape[1] > MaxLength)
            throw new ArgumentException($"{inputIds.shape[1]} tokens: expected 1..{MaxLength}");
        TokenIdRange.Check(inputIds, Config.VocabSize);
        using var scope = NewDisposeScope();
        return _tower.forward(inputIds, attentionMask).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public void Dispose() => _tower.Dispose();
}

/// <summary>The module behind <see cref="TransformerTextEncoder"/>.</summary>
internal sealed class TransformerTextTower : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly Embedding token_embedding;
    private readonly Embedding position_embedding;
    private readonly Dropout dropout;
    private readonly ModuleList<TransformerBlock> blocks;
    private readonly LayerNorm ln_final;
    private readonly Linear projection;
#pragma warning restore IDE1006
    private readonly TextPooling _pooling;

    public TransformerTextTower(TransformerTextEncoderConfig config) : base(nameof(TransformerTextTower))
    {
        token_embedding = nn.Embedding(config.VocabSize, config.Width);
        position_embedding = nn.Embedding(config.MaxLength, config.Width);
        dropout = nn.Dropout(config.Dropout);
        blocks = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new TransformerBlock(config)).ToArray());
        ln_final = nn.LayerNorm(config.Width);
        projection = nn.Linear(config.Width, config.OutputDim, hasBias: false);
        _pooling = config.Pooling;
        RegisterComponents();
        Initialise(config.Seed);
    }

    /// <summary>Normal(0, 0.02) weights, zero biases, LayerNorm 1/0, from a private generator seeded by <paramref name="seed"/>.</summary>
    private void Initialise(long seed)
    {
        using var generator = new Generator().manual_seed(seed);
        using var noGrad = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.Contains("ln_", StringComparison.Ordinal))
            {
                if (name.EndsWith("weight", StringComparison.Ordinal)) p.fill_(1.0); else p.zero_();
            }
            else if (name.EndsWith("bias", StringComparison.Ordinal))
            {
                p.zero_();
            }
            else
            {
                using var init = randn(p.shape, generator: generator).mul_(0.02);
                p.copy_(init);
            }
        }
    }

    public override Tensor forward(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        long b = inputIds.shape[0], t = inputIds.shape[1];
        var positions = arange(t, ScalarType.Int64, inputIds.device).unsqueeze(0);
        var x = dropout.forward(token_embedding.forward(inputIds) + position_embedding.forward(positions));
        var additive = (1.0f - attentionMask.to_type(ScalarType.Float32)).mul(float.MinValue).view(b, 1, 1, t);
        foreach (var block in blocks) x = block.forward(x, additive);
        x = ln_final.forward(x);
        var pooled = _pooling == TextPooling.Cls ? x.select(1, 0) : Bert.BertTextTower.MeanPool(x, attentionMask);
        return projection.forward(pooled).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            token_embedding.Dispose(); position_embedding.Dispose(); dropout.Dispose();
            blocks.Dispose(); ln_final.Dispose(); projection.Dispose();
        }
        base.Dispose(disposing);
    }
}
