using EcgClip.Core.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Objectives;

/// <summary>
/// MERL's pretraining loss (Liu et al., ICML 2024, "Zero-Shot ECG Classification with Multimodal Learning and Test-time
/// Clinical Knowledge Enhancement"): L = CMA + UMA with a fixed temperature τ = 0.07 (s = 1/τ, not learnable), where
/// CMA = CE(s·Ê·T̂ᵀ, Q) + CE(s·T̂·Êᵀ, Q) aligns ECG and text (term <c>ecg_text</c>) and
/// UMA = CE(s·V̂₁·V̂₂ᵀ, I) + CE(s·V̂₂·V̂₁ᵀ, I) aligns two views of the same ECGs (term <c>ecg_ecg</c>);
/// hats are L2-normalised rows and CE(L, Q) = −1/B Σ_i Σ_j Q_ij log softmax(L_i)_j.
/// </summary>
/// <remarks>
/// Mirrors <c>clip_loss</c> in MERL's <c>utils/utils_loss.py</c> and its use in <c>utils/utils_trainer.py</c>
/// (<c>cma_loss + uma_loss</c>): each term is the <em>sum</em> of the two directions (not their mean, unlike
/// <see cref="ClipObjective"/>), and UMA is symmetric. The views come from the model, not from this objective: MERL
/// average-pools the ResNet feature map and passes it through two separate bias-free linear layers, each followed by
/// dropout (p = 0.1), and uses a third (attention-pooled) projection for CMA. Through <see cref="ContrastiveBatch"/>,
/// <see cref="ContrastiveBatch.EcgEmbeddings"/> serves as both the CMA embedding and the first view and
/// <see cref="ContrastiveBatch.EcgEmbeddingsView2"/> (required) as the second; a model that keeps MERL's three separate
/// projections calls <see cref="Compute(Tensor, Tensor, Tensor, Tensor, Tensor?)"/> instead.
/// One deviation: with <see cref="ContrastiveBatch.TextGroups"/> and <see cref="ObjectiveOptions.SharedPositives"/>
/// (default true) the CMA targets Q are uniform over rows with the same report (MERL uses Q = I; identical PTB-XL
/// reports would otherwise be false negatives). UMA always uses Q = I: two different recordings are not views of the
/// same signal even when their reports agree. Without groups the loss is exactly MERL's. The objective has no parameters.
/// </remarks>
public sealed class MerlObjective : nn.Module, IContrastiveObjective
{
    /// <summary>Creates the objective from <paramref name="options"/> (null fields take MERL's defaults: τ = 0.07, fixed).</summary>
    /// <exception cref="ArgumentException">The options are invalid (e.g. a learnable scale).</exception>
    public MerlObjective(ObjectiveOptions? options = null) : base("merl")
    {
        options ??= new ObjectiveOptions { Name = "merl" };
        options = options with { Name = "merl" };
        options.ThrowIfInvalid();
        Options = options.Resolve();
        RegisterComponents();
    }

    /// <inheritdoc />
    public string Name => "merl";

    /// <inheritdoc />
    public nn.Module Module => this;

    /// <summary>The resolved options (stored with checkpoints).</summary>
    public ObjectiveOptions Options { get; }

    /// <summary>The fixed scale s = 1/τ.</summary>
    public double Scale => 1.0 / Options.EffectiveTemperature;

    /// <summary>Fixed-temperature cosine logits s·â·b̂ᵀ <c>[batch, batch]</c>.</summary>
    public Tensor Logits(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var s = torch.tensor(Scale, a.dtype, a.device);
        return ContrastiveTargets.CosineLogits(a, b, s).MoveToOuterDisposeScope();
    }

    /// <summary>CMA targets Q <c>[batch, batch]</c> (identity, or uniform over shared positives); UMA always uses the identity.</summary>
    public Tensor Targets(long batch, Tensor? groups, ScalarType dtype, Device device) =>
        ContrastiveTargets.Distribution(batch, groups, Options.SharedPositives, dtype, device);

    /// <summary>
    /// Computes CMA between <see cref="ContrastiveBatch.EcgEmbeddings"/> and the text, and UMA between
    /// <see cref="ContrastiveBatch.EcgEmbeddings"/> and <see cref="ContrastiveBatch.EcgEmbeddingsView2"/>.
    /// Terms: <c>ecg_text</c> (CMA), <c>ecg_ecg</c> (UMA), <c>accuracy</c> (ECG↔text top-1, both directions averaged).
    /// </summary>
    /// <exception cref="ArgumentException">The second view is missing, or shapes do not match.</exception>
    public ObjectiveResult Compute(ContrastiveBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.EcgEmbeddingsView2 is null)
            throw new ArgumentException("the merl objective needs a second ECG view (ContrastiveBatch.EcgEmbeddingsView2) for its uni-modal term; produce two dropout views of the ECG embedding", nameof(batch));
        return Compute(batch.EcgEmbeddings, batch.TextEmbeddings, batch.EcgEmbeddings, batch.EcgEmbeddingsView2, batch.TextGroups);
    }

    /// <summary>
    /// Computes CMA between <paramref name="ecgEmbeddings"/> and <paramref name="textEmbeddings"/> and UMA between the
    /// two views (MERL's <c>ecg_emb1</c>, <c>ecg_emb2</c>), which may differ in width from the CMA embeddings.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes do not match.</exception>
    public ObjectiveResult Compute(Tensor ecgEmbeddings, Tensor textEmbeddings, Tensor view1, Tensor view2, Tensor? groups = null)
    {
        ContrastiveTargets.CheckBatch(new ContrastiveBatch(ecgEmbeddings, textEmbeddings) { TextGroups = groups });
        ContrastiveTargets.CheckBatch(new ContrastiveBatch(view1, view2));
        if (view1.shape[0] != ecgEmbeddings.shape[0])
            throw new ArgumentException($"the ECG views must have one row per pair, got {ContrastiveTargets.Shape(view1)} for {ecgEmbeddings.shape[0]} pairs", nameof(view1));
        using var scope = NewDisposeScope();
        var logits = Logits(ecgEmbeddings, textEmbeddings);
        long n = logits.shape[0];
        var q = Targets(n, groups, logits.dtype, logits.device);
        var logitsT = logits.transpose(0, 1);
        var cma = ContrastiveTargets.SoftCrossEntropy(logits, q) + ContrastiveTargets.SoftCrossEntropy(logitsT, q);
        var viewLogits = Logits(view1, view2);
        var identity = ContrastiveTargets.Distribution(n, null, false, viewLogits.dtype, viewLogits.device);
        var uma = ContrastiveTargets.SoftCrossEntropy(viewLogits, identity) + ContrastiveTargets.SoftCrossEntropy(viewLogits.transpose(0, 1), identity);
        var loss = cma + uma;
        var mask = ContrastiveTargets.PositiveMask(n, groups, Options.SharedPositives, logits.device);
        var accuracy = 0.5 * (ContrastiveTargets.TopOneAccuracy(logits, mask) + ContrastiveTargets.TopOneAccuracy(logitsT, mask));
        var terms = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["ecg_text"] = cma.detach().MoveToOuterDisposeScope(),
            ["ecg_ecg"] = uma.detach().MoveToOuterDisposeScope(),
            ["accuracy"] = accuracy.MoveToOuterDisposeScope(),
        };
        return new ObjectiveResult(loss.MoveToOuterDisposeScope(), terms);
    }
}
