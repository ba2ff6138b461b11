using EcgClip.Core.Abstractions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Core.Objectives;

/// <summary>
/// Pairwise sigmoid loss (SigLIP; Zhai et al. 2023, "Sigmoid Loss for Language Image Pre-Training"):
/// L = −1/B Σ_i Σ_j log σ(z_ij · (t·x̂_i·ŷ_j + b)), where x̂, ŷ are the L2-normalised ECG and text embeddings,
/// t = exp(t′) with t′ learnable (initialised to ln 10, i.e. τ = 0.1; clamped to t ≤ <see cref="ObjectiveOptions.MaxLogitScale"/>),
/// b a learnable bias (initialised to −10), and z_ij = +1 for positives, −1 otherwise.
/// </summary>
/// <remarks>
/// Positives: the diagonal (row i of both modalities is a pair) and, with <see cref="ContrastiveBatch.TextGroups"/> and
/// <see cref="ObjectiveOptions.SharedPositives"/> (default true), every pair with the same report group, since identical
/// PTB-XL reports in one batch are not negatives. The loss is symmetric in the two modalities by construction.
/// Component names: <c>logit_scale</c> (t′) and <c>logit_bias</c> (b), scalars, part of the checkpoint format.
/// </remarks>
public sealed class SigLipObjective : nn.Module, IContrastiveObjective
{
    private readonly Parameter logit_scale;
    private readonly Parameter logit_bias;

    /// <summary>Creates the objective from <paramref name="options"/> (null fields take SigLIP's defaults).</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public SigLipObjective(ObjectiveOptions? options = null) : base("siglip")
    {
        options ??= new ObjectiveOptions { Name = "siglip" };
        options.ThrowIfInvalid();
        Options = (options with { Name = "siglip" }).Resolve();
        logit_scale = new Parameter(torch.tensor(Math.Log(1.0 / Options.EffectiveTemperature), float32), requires_grad: Options.EffectiveLearnableScale);
        logit_bias = new Parameter(torch.tensor(Options.EffectiveBias, float32), requires_grad: true);
        RegisterComponents();
    }

    /// <inheritdoc />
    public string Name => "siglip";

    /// <inheritdoc />
    public nn.Module Module => this;

    /// <summary>The resolved options (stored with checkpoints).</summary>
    public ObjectiveOptions Options { get; }

    /// <summary>The log-scale parameter t′ (t = exp t′).</summary>
    public Parameter LogitScale => logit_scale;

    /// <summary>The bias parameter b.</summary>
    public Parameter LogitBias => logit_bias;

    /// <summary>Logits t·x̂·ŷᵀ + b <c>[batch, batch]</c> (ECG rows, text columns).</summary>
    public Tensor Logits(Tensor ecgEmbeddings, Tensor textEmbeddings)
    {
        using var scope = NewDisposeScope();
        var t = logit_scale.exp().clamp_max(Options.MaxLogitScale);
        return (ContrastiveTargets.CosineLogits(ecgEmbeddings, textEmbeddings, t) + logit_bias).MoveToOuterDisposeScope();
    }

    /// <summary>Signs z <c>[batch, batch]</c>: +1 on positives (diagonal, or same group with shared positives), −1 elsewhere.</summary>
    public Tensor Targets(long batch, Tensor? groups, ScalarType dtype, Device device)
    {
        using var scope = NewDisposeScope();
        var mask = ContrastiveTargets.PositiveMask(batch, groups, Options.SharedPositives, device).to_type(dtype);
        return (2 * mask - 1).MoveToOuterDisposeScope();
    }

    /// <summary>Computes the loss with diagonal positives (row i of both is a pair).</summary>
    public ObjectiveResult Compute(Tensor ecgEmbeddings, Tensor textEmbeddings) => Compute(new ContrastiveBatch(ecgEmbeddings, textEmbeddings));

    /// <summary>Computes the loss; terms <c>ecg_text</c> (the loss), <c>logit_scale</c> (t) and <c>logit_bias</c> (b).</summary>
    /// <exception cref="ArgumentException">The embeddings (or groups) have mismatched shapes.</exception>
    public ObjectiveResult Compute(ContrastiveBatch batch)
    {
        ContrastiveTargets.CheckBatch(batch);
        using var scope = NewDisposeScope();
        var logits = Logits(batch.EcgEmbeddings, batch.TextEmbeddings);
        long n = logits.shape[0];
        var z = Targets(n, batch.TextGroups, logits.dtype, logits.device);
        var loss = -nn.functional.logsigmoid(z * logits).sum() / n;
        var terms = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["ecg_text"] = loss.detach().MoveToOuterDisposeScope(),
            ["logit_scale"] = logit_scale.detach().exp().clamp_max(Options.MaxLogitScale).MoveToOuterDisposeScope(),
            ["logit_bias"] = logit_bias.detach().clone().MoveToOuterDisposeScope(),
        };
        return new ObjectiveResult(loss.MoveToOuterDisposeScope(), terms);
    }
}
