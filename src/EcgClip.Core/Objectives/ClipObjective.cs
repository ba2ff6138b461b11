using EcgClip.Core.Abstractions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Core.Objectives;

/// <summary>
/// Symmetric InfoNCE (CLIP; Radford et al. 2021, "Learning Transferable Visual Models From Natural Language Supervision"):
/// L = ½ [CE(s·Ê·T̂ᵀ, Q) + CE(s·T̂·Êᵀ, Q)], where Ê, T̂ are the L2-normalised ECG and text embeddings,
/// s = exp(logitScale) is learnable (initialised to 1/τ, τ = 0.07, clamped to at most
/// <see cref="ObjectiveOptions.MaxLogitScale"/>) and CE(L, Q) = −1/B Σ_i Σ_j Q_ij log softmax(L_i)_j.
/// </summary>
/// <remarks>
/// Targets Q: without <see cref="ContrastiveBatch.TextGroups"/>, Q = I (row i of both modalities is a pair), which is
/// plain CLIP. With groups and <see cref="ObjectiveOptions.SharedPositives"/> (the default, true), row i of Q is uniform
/// over the rows j with <c>groups[j] == groups[i]</c> in both directions (Q is symmetric): PTB-XL reports repeat (148
/// unique texts among fold 10's 255 ECGs), and treating an identical report in the same batch as a negative would
/// push apart ECGs that the data says match. All-distinct groups give Q = I, identical to plain CLIP.
/// Component name: <c>logit_scale</c> (a scalar, part of the checkpoint format).
/// </remarks>
public sealed class ClipObjective : nn.Module, IContrastiveObjective
{
    /// <summary>Default upper bound of s = exp(logitScale), as in CLIP.</summary>
    public const double MaxLogitScale = 100.0;

    private readonly Parameter logit_scale;

    /// <summary>Creates the objective with s = 1 / <paramref name="initialTemperature"/>.</summary>
    public ClipObjective(double initialTemperature = 0.07, bool learnableScale = true)
        : this(new ObjectiveOptions { Name = "clip", Temperature = initialTemperature, LearnableScale = learnableScale })
    {
    }

    /// <summary>Creates the objective from <paramref name="options"/> (null fields take CLIP's defaults).</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public ClipObjective(ObjectiveOptions options) : base("clip")
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        Options = options.Resolve() with { Name = "clip" };
        logit_scale = new Parameter(torch.tensor(Math.Log(1.0 / Options.EffectiveTemperature), float32), requires_grad: Options.EffectiveLearnableScale);
        RegisterComponents();
    }

    /// <inheritdoc />
    public string Name => "clip";

    /// <inheritdoc />
    public nn.Module Module => this;

    /// <summary>The resolved options (stored with checkpoints).</summary>
    public ObjectiveOptions Options { get; }

    /// <summary>The learnable log-scale parameter (s = exp of it).</summary>
    public Parameter LogitScale => logit_scale;

    /// <summary>The current s = exp(logitScale), clamped (one host sync: for logging and tests).</summary>
    public double Scale
    {
        get
        {
            using var scope = NewDisposeScope();
            return ClampedScale().to_type(float64).cpu().item<double>();
        }
    }

    /// <summary>Similarity logits s·Ê·T̂ᵀ <c>[batch, batch]</c> (ECG rows, text columns).</summary>
    public Tensor Logits(Tensor ecgEmbeddings, Tensor textEmbeddings)
    {
        using var scope = NewDisposeScope();
        return ContrastiveTargets.CosineLogits(ecgEmbeddings, textEmbeddings, ClampedScale()).MoveToOuterDisposeScope();
    }

    /// <summary>Diagonal target indices 0..batch-1 on <paramref name="device"/> (the Q = I case).</summary>
    public static Tensor Targets(long batch, Device device) => torch.arange(batch, int64, device);

    /// <summary>
    /// Soft targets Q <c>[batch, batch]</c> for <paramref name="groups"/> (see remarks): the identity without groups or
    /// with <see cref="ObjectiveOptions.SharedPositives"/> off, else uniform over each row's shared positives.
    /// </summary>
    public Tensor Targets(long batch, Tensor? groups, ScalarType dtype, Device device) =>
        ContrastiveTargets.Distribution(batch, groups, Options.SharedPositives, dtype, device);

    /// <summary>Computes the loss with diagonal targets (row i of both is a pair).</summary>
    public ObjectiveResult Compute(Tensor ecgEmbeddings, Tensor textEmbeddings) => Compute(new ContrastiveBatch(ecgEmbeddings, textEmbeddings));

    /// <summary>Computes the loss; terms <c>ecg_text</c> (the loss), <c>logit_scale</c> (s) and <c>accuracy</c> (top-1, both directions averaged).</summary>
    /// <exception cref="ArgumentException">The embeddings (or groups) have mismatched shapes.</exception>
    public ObjectiveResult Compute(ContrastiveBatch batch)
    {
        ContrastiveTargets.CheckBatch(batch);
        using var scope = NewDisposeScope();
        var logits = Logits(batch.EcgEmbeddings, batch.TextEmbeddings);
        long n = logits.shape[0];
        var mask = ContrastiveTargets.PositiveMask(n, batch.TextGroups, Options.SharedPositives, logits.device);
        var q = Targets(n, batch.TextGroups, logits.dtype, logits.device);
        var logitsT = logits.transpose(0, 1);
        var loss = 0.5 * (ContrastiveTargets.SoftCrossEntropy(logits, q) + ContrastiveTargets.SoftCrossEntropy(logitsT, q));
        var accuracy = 0.5 * (ContrastiveTargets.TopOneAccuracy(logits, mask) + ContrastiveTargets.TopOneAccuracy(logitsT, mask));
        var terms = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["ecg_text"] = loss.detach().MoveToOuterDisposeScope(),
            ["logit_scale"] = ClampedScale().detach().MoveToOuterDisposeScope(),
            ["accuracy"] = accuracy.MoveToOuterDisposeScope(),
        };
        return new ObjectiveResult(loss.MoveToOuterDisposeScope(), terms);
    }

    private Tensor ClampedScale() => logit_scale.exp().clamp_max(Options.MaxLogitScale);
}
