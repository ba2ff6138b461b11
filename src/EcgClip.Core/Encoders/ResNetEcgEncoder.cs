using EcgClip.Core.Abstractions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Core.Encoders;

/// <summary>
/// <see cref="IEcgEncoder"/> over a <see cref="ResNet1d"/> backbone with an optional linear projection to
/// <see cref="EncoderConfig.EmbeddingDim"/>. Input <c>[batch, leads, samples]</c> float32, output <c>[batch, OutputDim]</c>.
/// </summary>
public sealed class ResNetEcgEncoder : nn.Module<Tensor, Tensor>, IEcgEncoder
{
    private readonly ResNet1d backbone;
    private readonly Linear? projection;

    /// <summary>Builds an encoder on the CPU from <paramref name="config"/>; move it with <c>Module.to(device)</c>.</summary>
    public ResNetEcgEncoder(EncoderConfig config) : base("ecg_encoder")
    {
        var errors = config.Validate();
        if (errors.Count > 0) throw new ArgumentException($"invalid encoder configuration '{config.Name}': {string.Join("; ", errors)}", nameof(config));
        Config = config;
        backbone = new ResNet1d(config);
        if (config.EmbeddingDim > 0) projection = nn.Linear(backbone.FeatureDim, config.EmbeddingDim);
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
        return Pool(backbone.FeatureMap(ecg)).MoveToOuterDisposeScope();
    }

    private Tensor Pool(Tensor map)
    {
        var pooled = map.mean([-1]);
        return projection is null ? pooled : projection.forward(pooled);
    }
}
