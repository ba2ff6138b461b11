using EcgClip.Core.Abstractions;
using EcgClip.Core.Encoders;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Models;

/// <summary>
/// The whole ECGCLIP model as one module: the ECG tower, the text tower and the objective's learnable scale/bias, so
/// that the optimiser and the checkpoint see every parameter. State-dict names: <c>ecg.*</c>, <c>text.*</c>,
/// <c>objective.*</c> (the checkpoint format).
/// </summary>
public sealed class EcgClipModel : nn.Module
{
    private readonly nn.Module ecg;
    private readonly nn.Module text;
    private readonly nn.Module objective;

    /// <summary>Assembles a model; it takes ownership of the towers and the objective.</summary>
    /// <exception cref="ModelConfigException">The towers' widths disagree with the configuration.</exception>
    public EcgClipModel(ModelConfig config, ResNetEcgEncoder ecgEncoder, ITextEncoder textEncoder, IContrastiveObjective contrastive) : base("ecgclip")
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        EcgEncoder = ecgEncoder ?? throw new ArgumentNullException(nameof(ecgEncoder));
        TextEncoder = textEncoder ?? throw new ArgumentNullException(nameof(textEncoder));
        Objective = contrastive ?? throw new ArgumentNullException(nameof(contrastive));
        var errors = new List<string>();
        if (ecgEncoder.OutputDim != config.EmbeddingDim) errors.Add($"embeddingDim: {config.EmbeddingDim} but the ECG tower outputs {ecgEncoder.OutputDim}");
        if (textEncoder.OutputDim != config.EmbeddingDim) errors.Add($"embeddingDim: {config.EmbeddingDim} but the text tower outputs {textEncoder.OutputDim}");
        if (errors.Count > 0) throw new ModelConfigException(config.Name, errors);
        ecg = ecgEncoder;
        text = textEncoder.Module;
        objective = contrastive.Module;
        RegisterComponents();
    }

    /// <summary>The configuration the model was built from.</summary>
    public ModelConfig Config { get; }

    /// <summary>The ECG tower.</summary>
    public ResNetEcgEncoder EcgEncoder { get; }

    /// <summary>The text tower.</summary>
    public ITextEncoder TextEncoder { get; }

    /// <summary>The objective (owns logit scale / bias where learnable).</summary>
    public IContrastiveObjective Objective { get; }

    /// <summary>ECG embeddings <c>[batch, EmbeddingDim]</c> of <c>[batch, leads, samples]</c>.</summary>
    public Tensor EncodeEcg(Tensor ecgBatch) => EcgEncoder.Encode(ecgBatch);

    /// <summary>Text embeddings <c>[batch, EmbeddingDim]</c> of token ids and mask.</summary>
    public Tensor EncodeText(Tensor inputIds, Tensor attentionMask) => TextEncoder.Encode(inputIds, attentionMask);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            TextEncoder.Dispose();
            Objective.Dispose();
        }
        base.Dispose(disposing);
    }
}
