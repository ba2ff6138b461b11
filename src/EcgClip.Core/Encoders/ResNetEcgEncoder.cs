using EcgClip.Core.Abstractions;
using EcgClip.Core.Heads;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Core.Encoders;

/// <summary>
/// <see cref="IEcgEncoder"/> over a <see cref="ResNet1d"/> backbone: mean pooling over time with an optional linear or
/// MLP projection to <see cref="EncoderConfig.EmbeddingDim"/>, or MERL's attention pooling
/// (<see cref="EncoderConfig.Pooling"/>). Input <c>[batch, leads, samples]</c> float32, output <c>[batch, OutputDim]</c>.
/// </summary>
/// <remarks>
/// Component names (the checkpoint format): <c>backbone.*</c> (see <see cref="ResNet1d"/>), <c>projection.*</c> after mean
/// pooling (<c>weight</c>/<c>bias</c> for linear, <c>fc1.*</c>/<c>fc2.*</c> for mlp; absent when embeddingDim is 0), and
/// <c>pool.*</c> with attention pooling (see <see cref="AttentionPool1d"/>).
/// </remarks>
public sealed class ResNetEcgEncoder : nn.Module<Tensor, Tensor>, IEcgEncoder
{
    private readonly ResNet1d backbone;
    private readonly nn.Module<Tensor, Tensor>? projection;
    private readonly AttentionPool1d? pool;

    /// <summary>Builds an encoder on the CPU from <paramref name="config"/>; move it with <c>Module.to(device)</c>.</summary>
    public ResNetEcgEncoder(EncoderConfig config) : base("ecg_encoder")
    {
        var errors = config.Validate();
        if (errors.Count > 0) throw new ArgumentException($"invalid encoder configuration '{config.Name}': {string.Join("; ", errors)}", nameof(config));
        Config = config;
        backbone = new ResNet1d(config);
        if (config.Pooling == "attention")
            pool = new AttentionPool1d(backbone.FeatureDim, config.AttentionLength, config.EmbeddingDim, config.AttentionHeads, config.EmbeddingDim);
        else if (config.EmbeddingDim > 0)
            projection = ProjectionHead.Create(config.Projection, backbone.FeatureDim, config.EmbeddingDim, config.ProjectionHiddenDim,
                config.ProjectionActivation == "relu" ? ProjectionActivation.Relu : ProjectionActivation.Gelu);
        RegisterComponents();
    }

    /// <summary>The configuration the encoder was built from (saved with checkpoints).</summary>
    public EncoderConfig Config { get; }

    /// <inheritdoc />
    public int OutputDim => Config.OutputDim;

    /// <inheritdoc />
    public IReadOnlyList<string> Leads => Config.Leads;

    /// <inheritdoc />
    public double SamplingRate => Config.SamplingRate;

    /// <inheritdoc />
    public nn.Module Module => this;

    /// <inheritdoc />
    public Tensor Encode(Tensor ecg)
    {
        if (ecg.dim() != 3 || ecg.shape[1] != Config.Leads.Count)
            throw new ArgumentException($"expected ECG tensor [batch, {Config.Leads.Count}, samples], got [{string.Join(", ", ecg.shape)}]", nameof(ecg));
        return forward(ecg);
    }

    /// <inheritdoc />
    public EcgEncoding EncodeWithFeatureMap(Tensor ecg)
    {
        if (ecg.dim() != 3 || ecg.shape[1] != Config.Leads.Count)
            throw new ArgumentException($"expected ECG tensor [batch, {Config.Leads.Count}, samples], got [{string.Join(", ", ecg.shape)}]", nameof(ecg));
        using var scope = NewDisposeScope();
        var map = backbone.FeatureMap(ecg);
        var output = Pool(map);
        return new EcgEncoding(output.MoveToOuterDisposeScope(), map.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor ecg)
    {
        using var scope = NewDisposeScope();
        return Pool(backbone.Features(ecg)).MoveToOuterDisposeScope();
    }

    /// <summary>The backbone (for weight loading and freezing).</summary>
    internal ResNet1d Backbone => backbone;

    /// <summary>
    /// How the backbone lays out its activations while computing (<see cref="ActivationLayout.Auto"/>: channels-last on
    /// AVX-512 CPUs). Results are equal up to summation order; parameters and checkpoints do not depend on it. An
    /// inference form built from this encoder (<see cref="Inference.InferenceEncoder"/>) takes it over.
    /// </summary>
    public ActivationLayout Layout
    {
        get => backbone.Layout;
        set => backbone.Layout = value;
    }

    private Tensor Pool(Tensor map)
    {
        if (pool is not null) return pool.forward(map);
        var pooled = map.mean([-1]);
        return projection is null ? pooled : projection.forward(pooled);
    }
}
