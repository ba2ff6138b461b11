using EcgClip.Core.Abstractions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Core.Objectives;

/// <summary>
/// Symmetric InfoNCE (CLIP; Radford et al. 2021):
/// L = ½ [CE(s·Ê·T̂ᵀ, I) + CE(s·T̂·Êᵀ, I)], where Ê, T̂ are the L2-normalised ECG and text embeddings,
/// s = exp(logitScale) is learnable (initialised to 1/0.07, clamped to at most <see cref="MaxLogitScale"/>),
/// and I are the diagonal targets (row i of both modalities is a pair).
/// </summary>
public sealed class ClipObjective : nn.Module, IContrastiveObjective
{
    /// <summary>Upper bound of s = exp(logitScale), as in CLIP.</summary>
    public const double MaxLogitScale = 100.0;

    private readonly Parameter logit_scale;

    /// <summary>Creates the objective with s = 1 / <paramref name="initialTemperature"/>.</summary>
    public ClipObjective(double initialTemperature = 0.07, bool learnableScale = true) : base("clip")
    {
        if (!(initialTemperature > 0)) throw new ArgumentOutOfRangeException(nameof(initialTemperature), "temperature must be positive");
        logit_scale = new Parameter(torch.tensor(Math.Log(1.0 / initialTemperature), float32), requires_grad: learnableScale);
        RegisterComponents();
    }

    /// <inheritdoc />
    public string Name => "clip";

    /// <inheritdoc />
    public nn.Module Module => this;

    /// <summary>The current s = exp(logitScale), clamped.</summary>
    public double Scale
    {
        get
        {
            using var scope = NewDisposeScope();
            return ToDouble(logit_scale.exp().clamp_max(MaxLogitScale));
        }
    }

    /// <summary>Similarity logits s·Ê·T̂ᵀ <c>[batch, batch]</c> (ECG rows, text columns).</summary>
    public Tensor Logits(Tensor ecgEmbeddings, Tensor textEmbeddings)
    {
        using var scope = NewDisposeScope();
        var e = nn.functional.normalize(ecgEmbeddings, p: 2, dim: -1);
        var t = nn.functional.normalize(textEmbeddings, p: 2, dim: -1);
        var s = logit_scale.exp().clamp_max(MaxLogitScale);
        return (s * e.matmul(t.transpose(0, 1))).MoveToOuterDisposeScope();
    }

    /// <summary>Diagonal targets 0..batch-1 on <paramref name="device"/>.</summary>
    public static Tensor Targets(long batch, Device device) => torch.arange(batch, int64, device);

    /// <summary>Computes the loss with diagonal targets (row i of both is a pair).</summary>
    public ObjectiveResult Compute(Tensor ecgEmbeddings, Tensor textEmbeddings) => Compute(new ContrastiveBatch(ecgEmbeddings, textEmbeddings));

    /// <inheritdoc />
    public ObjectiveResult Compute(ContrastiveBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var (ecgEmbeddings, textEmbeddings) = (batch.EcgEmbeddings, batch.TextEmbeddings);
        if (ecgEmbeddings.dim() != 2 || textEmbeddings.dim() != 2 || ecgEmbeddings.shape[0] != textEmbeddings.shape[0] || ecgEmbeddings.shape[1] != textEmbeddings.shape[1])
            throw new ArgumentException($"expected two [batch, dim] embeddings of equal shape, got [{string.Join(", ", ecgEmbeddings.shape)}] and [{string.Join(", ", textEmbeddings.shape)}]");
        using var scope = NewDisposeScope();
        var logits = Logits(ecgEmbeddings, textEmbeddings);
        var targets = Targets(logits.shape[0], logits.device);
        var lossE = nn.functional.cross_entropy(logits, targets);
        var lossT = nn.functional.cross_entropy(logits.transpose(0, 1), targets);
        var loss = 0.5 * (lossE + lossT);
        Tensor accuracy;
        using (no_grad())
            accuracy = logits.argmax(1).eq(targets).to_type(float32).mean();
        var terms = new Dictionary<string, Tensor>
        {
            ["ecg_text"] = loss.detach().MoveToOuterDisposeScope(),
            ["logit_scale"] = logit_scale.detach().exp().clamp_max(MaxLogitScale).MoveToOuterDisposeScope(),
            ["accuracy"] = accuracy.MoveToOuterDisposeScope(),
        };
        return new ObjectiveResult(loss.MoveToOuterDisposeScope(), terms);
    }

    private static double ToDouble(Tensor scalar) => scalar.to_type(float64).cpu().item<double>();
}
