using EcgClip.Core.Abstractions;
using EcgClip.Core.SafeTensors;
using EcgClip.Text.Caching;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Text.Encoders.Bert;

/// <summary>
/// A BERT text tower compatible with Hugging Face <c>BertModel</c> checkpoints (<c>config.json</c> +
/// <c>.safetensors</c>; tokenise with the checkpoint's own <c>vocab.txt</c> through
/// <see cref="Tokenization.ReportTokenizer"/>). Pools the last hidden state (<see cref="TextPooling"/>), optionally
/// projects it, and can freeze the embeddings plus the first K layers. Frozen parts stay in eval mode (no dropout)
/// when the module is put in training mode; with the whole body frozen and
/// <see cref="BertTextEncoderOptions.FeatureCacheCapacity"/> set, each distinct report runs through BERT once
/// (<see cref="FeatureCache"/>).
/// </summary>
/// <remarks>
/// Exact to Hugging Face in eval mode: erf-GELU, LayerNorm with the config's eps, padded keys masked by adding
/// float32's minimum. Dropout of the trainable layers follows the module's training mode (call <c>Module.eval()</c>
/// for inference).
/// </remarks>
public sealed class BertTextEncoder : ITextEncoder
{
    private readonly BertTextTower _tower;

    private BertTextEncoder(BertConfig config, BertTextEncoderOptions options)
    {
        config.Validate();
        options.Validate(config);
        Config = config;
        Options = options;
        FeatureCache = options.FeatureCacheCapacity > 0 ? new FrozenFeatureCache(options.FeatureCacheCapacity) : null;
        _tower = new BertTextTower(config, options, FeatureCache);
        OutputDim = options.ProjectionDim ?? config.HiddenSize;
        MaxLength = config.MaxPositionEmbeddings;
        FreezeLayers(options.FrozenLayers);
    }

    /// <summary>A randomly initialised BERT (TorchSharp default initialisation; projection seeded by the options).</summary>
    public static BertTextEncoder Create(BertConfig config, BertTextEncoderOptions? options = null) =>
        new(config ?? throw new ArgumentNullException(nameof(config)), options ?? new BertTextEncoderOptions());

    /// <summary>
    /// Loads a downloaded checkpoint folder: <c>config.json</c> and <c>model.safetensors</c> (or the only
    /// <c>*.safetensors</c> there). The tokenizer's <c>vocab.txt</c> is loaded separately.
    /// </summary>
    public static BertTextEncoder FromPretrained(string directory, BertTextEncoderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"checkpoint folder not found: {directory}");
        string weights = Path.Combine(directory, "model.safetensors");
        if (!File.Exists(weights))
        {
            var candidates = Directory.GetFiles(directory, "*.safetensors");
            weights = candidates.Length == 1 ? candidates[0]
                : throw new FileNotFoundException($"{directory}: expected model.safetensors or exactly one *.safetensors, found {candidates.Length}");
        }
        return FromFiles(Path.Combine(directory, "config.json"), weights, options);
    }

    /// <summary>Loads <paramref name="configPath"/> (HF <c>config.json</c>) and the weights in <paramref name="safetensorsPath"/>.</summary>
    public static BertTextEncoder FromFiles(string configPath, string safetensorsPath, BertTextEncoderOptions? options = null)
    {
        var encoder = Create(BertConfig.Load(configPath), options);
        try
        {
            encoder.LastLoad = encoder.LoadWeights(safetensorsPath);
            return encoder;
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
    }

    /// <summary>The architecture.</summary>
    public BertConfig Config { get; }

    /// <summary>Pooling, projection and freezing.</summary>
    public BertTextEncoderOptions Options { get; }

    /// <summary>
    /// The frozen-feature cache (null unless <see cref="BertTextEncoderOptions.FeatureCacheCapacity"/> &gt; 0); it is
    /// used only while all layers are frozen. Its counters show hits, misses and the rows run through BERT.
    /// </summary>
    public FrozenFeatureCache? FeatureCache { get; }

    /// <summary>What the last <see cref="LoadWeights"/> did (null before any load).</summary>
    public BertLoadReport? LastLoad { get; private set; }

    /// <inheritdoc/>
    public int OutputDim { get; }

    /// <inheritdoc/>
    public int MaxLength { get; }

    /// <inheritdoc/>
    public nn.Module Module => _tower;

    /// <summary>
    /// Strictly loads HF <c>BertModel</c> weights (names with or without <c>bert.</c>); a missing or mis-shaped tensor
    /// throws <see cref="InvalidDataException"/> listing the names. The pooler may be absent unless pooling is
    /// <see cref="TextPooling.Pooler"/>.
    /// </summary>
    public BertLoadReport LoadWeights(string safetensorsPath)
    {
        using var file = SafeTensorsFile.Open(safetensorsPath);
        LastLoad = BertWeightLoader.Load(_tower.Bert, file, allowMissingPooler: Options.Pooling != TextPooling.Pooler);
        FeatureCache?.Clear();
        return LastLoad;
    }

    /// <summary>Freezes (requires_grad = false) the embeddings and the first <paramref name="layers"/> layers; unfreezes the rest of BERT.</summary>
    public void FreezeLayers(int layers)
    {
        if (layers < 0 || layers > Config.NumHiddenLayers)
            throw new ArgumentOutOfRangeException(nameof(layers), layers, $"must be in 0..{Config.NumHiddenLayers}");
        foreach (var p in _tower.Bert.parameters()) p.requires_grad = true;
        if (layers > 0)
        {
            foreach (var p in _tower.Bert.Embeddings.parameters()) p.requires_grad = false;
            for (int i = 0; i < layers; i++)
                foreach (var p in _tower.Bert.Layers[i].parameters()) p.requires_grad = false;
        }
        FeatureCache?.Clear();
        _tower.SetFrozenLayers(layers);
    }

    /// <summary>Freezes the pooler (requires_grad = false) when the pooling does not use it, so it is not trained or decayed.</summary>
    public void FreezeUnusedPooler()
    {
        if (Options.Pooling == TextPooling.Pooler) return;
        foreach (var p in _tower.Bert.Pooler.parameters()) p.requires_grad = false;
    }

    /// <summary>Number of BERT layers currently frozen from the bottom (0 when the embeddings are trainable).</summary>
    public int FrozenLayerCount
    {
        get
        {
            if (_tower.Bert.Embeddings.parameters().Any(p => p.requires_grad)) return 0;
            int n = 0;
            while (n < _tower.Bert.Layers.Count && _tower.Bert.Layers[n].parameters().All(p => !p.requires_grad)) n++;
            return n;
        }
    }

    /// <summary>
    /// The raw BERT outputs: last hidden state <c>[B, T, hidden]</c> and pooler output <c>[B, hidden]</c> (new tensors
    /// owned by the caller).
    /// </summary>
    public (Tensor LastHiddenState, Tensor PoolerOutput) Forward(Tensor inputIds, Tensor attentionMask)
    {
        Check(inputIds, attentionMask);
        using var scope = NewDisposeScope();
        var (last, pooled) = _tower.Bert.forward(inputIds, attentionMask);
        return (last.MoveToOuterDisposeScope(), pooled.MoveToOuterDisposeScope());
    }

    /// <inheritdoc/>
    public Tensor Encode(Tensor inputIds, Tensor attentionMask)
    {
        Check(inputIds, attentionMask);
        using var scope = NewDisposeScope();
        return _tower.forward(inputIds, attentionMask).MoveToOuterDisposeScope();
    }

    private void Check(Tensor inputIds, Tensor attentionMask)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(attentionMask);
        if (inputIds.dim() != 2 || !inputIds.shape.SequenceEqual(attentionMask.shape))
            throw new ArgumentException($"input ids [{string.Join(", ", inputIds.shape)}] and attention mask [{string.Join(", ", attentionMask.shape)}] must both be [batch, tokens]");
        if (inputIds.shape[1] > MaxLength)
            throw new ArgumentException($"{inputIds.shape[1]} tokens exceed max_position_embeddings {MaxLength}");
        if (inputIds.shape[1] == 0) throw new ArgumentException("no tokens (a row needs at least [CLS])");
        TokenIdRange.Check(inputIds, Config.VocabSize);
    }

    /// <inheritdoc/>
    public void Dispose() => _tower.Dispose();
}

/// <summary>The module behind <see cref="BertTextEncoder"/>: <c>bert.*</c> (HF names) and <c>projection</c>.</summary>
internal sealed class BertTextTower : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly BertModel bert;
    private readonly nn.Module<Tensor, Tensor> projection;
#pragma warning restore IDE1006
    private readonly TextPooling _pooling;

    private readonly FrozenFeatureCache? _cache;
    private readonly int _hidden;
    private int _frozenLayers;

    public BertTextTower(BertConfig config, BertTextEncoderOptions options, FrozenFeatureCache? cache) : base(nameof(BertTextTower))
    {
        _cache = cache;
        _hidden = config.HiddenSize;
        bert = new BertModel(config);
        if (options.ProjectionDim is int dim)
        {
            using var generator = new Generator().manual_seed(options.Seed);
            var linear = nn.Linear(config.HiddenSize, dim, hasBias: false);
            using (no_grad())
            {
                double bound = 1.0 / Math.Sqrt(config.HiddenSize);
                using var init = rand([dim, config.HiddenSize], generator: generator).mul_(2 * bound).sub_(bound);
                linear.weight!.copy_(init);
            }
            projection = linear;
        }
        else
        {
            projection = nn.Identity();
        }
        _pooling = options.Pooling;
        RegisterComponents();
    }

    public BertModel Bert => bert;

    /// <summary>True when every layer is frozen and a cache is present: the body's output comes from the cache.</summary>
    public bool UsesCache => _cache is not null && _frozenLayers == bert.Layers.Count;

    /// <summary>Records how many layers are frozen (they and the embeddings stay in eval mode while training).</summary>
    public void SetFrozenLayers(int layers)
    {
        _frozenLayers = layers;
        if (training) train(true);
    }

    /// <summary>Training mode for the trainable parts; the frozen embeddings and layers stay in eval mode (no dropout).</summary>
    public override void train(bool on = true)
    {
        base.train(on);
        if (!on || _frozenLayers == 0) return;
        bert.Embeddings.eval();
        for (int i = 0; i < _frozenLayers; i++) bert.Layers[i].eval();
    }

    public override Tensor forward(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        Tensor pooled;
        if (UsesCache)
        {
            var features = _cache!.GetOrEncode(inputIds, attentionMask, _hidden, PoolingInput);
            pooled = _pooling == TextPooling.Pooler ? bert.PoolCls(features) : features;
        }
        else
        {
            var last = bert.Encode(inputIds, attentionMask);
            pooled = _pooling switch
            {
                TextPooling.Cls => last.select(1, 0),
                TextPooling.Pooler => bert.Pool(last),
                _ => MeanPool(last, attentionMask),
            };
        }
        return projection.forward(pooled).MoveToOuterDisposeScope();
    }

    /// <summary>What the pooling reads from the body: the <c>[CLS]</c> state (cls, pooler) or the masked mean.</summary>
    private Tensor PoolingInput(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var last = bert.Encode(inputIds, attentionMask);
        var input = _pooling == TextPooling.Mean ? MeanPool(last, attentionMask) : last.select(1, 0);
        return input.MoveToOuterDisposeScope();
    }

    /// <summary>Mean over tokens where the mask is 1 (rows without tokens give 0).</summary>
    internal static Tensor MeanPool(Tensor hidden, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var m = attentionMask.to_type(hidden.dtype).unsqueeze(-1);
        return ((hidden * m).sum(1) / m.sum(1).clamp_min(1.0)).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { bert.Dispose(); projection.Dispose(); }
        base.Dispose(disposing);
    }
}
