using EcgClip.Core.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Objectives;

/// <summary>
/// Which pairs of a batch are positives, shared by the objectives. Row i of both modalities is always a pair; with
/// report groups and shared positives, rows i and j are also positives when <c>groups[i] == groups[j]</c>. Everything is
/// computed on the embeddings' device without reading values back to the host.
/// </summary>
internal static class ContrastiveTargets
{
    /// <summary>
    /// Positive mask <c>[batch, batch]</c> (bool): the identity, or <c>groups[i] == groups[j]</c> when
    /// <paramref name="groups"/> is given and <paramref name="sharedPositives"/> is true. Symmetric in both cases.
    /// </summary>
    /// <param name="batch">Batch size.</param>
    /// <param name="groups">Report group per row (integer <c>[batch]</c>), or null.</param>
    /// <param name="sharedPositives">Whether equal groups are positives.</param>
    /// <param name="device">Device of the result.</param>
    public static Tensor PositiveMask(long batch, Tensor? groups, bool sharedPositives, Device device)
    {
        if (groups is null || !sharedPositives) return eye(batch, dtype: ScalarType.Bool, device: device);
        CheckGroups(groups, batch);
        using var scope = NewDisposeScope();
        var g = groups.to(device);
        return g.unsqueeze(1).eq(g.unsqueeze(0)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Soft targets <c>[batch, batch]</c>: row i is uniform over the positives of i (<see cref="PositiveMask"/>), so with
    /// no groups it is the identity (diagonal targets). The matrix is symmetric, so it serves both directions.
    /// </summary>
    public static Tensor Distribution(long batch, Tensor? groups, bool sharedPositives, ScalarType dtype, Device device)
    {
        using var scope = NewDisposeScope();
        var mask = PositiveMask(batch, groups, sharedPositives, device).to_type(dtype);
        return (mask / mask.sum(1, keepdim: true)).MoveToOuterDisposeScope();
    }

    /// <summary>Mean soft-target cross-entropy over rows: −1/B Σ_i Σ_j q_ij log softmax(logits_i)_j.</summary>
    public static Tensor SoftCrossEntropy(Tensor logits, Tensor targets)
    {
        using var scope = NewDisposeScope();
        return (-(targets * logits.log_softmax(1)).sum(1).mean()).MoveToOuterDisposeScope();
    }

    /// <summary>Cosine-similarity logits <c>scale · â·b̂ᵀ</c> of two <c>[batch, dim]</c> embeddings (rows L2-normalised).</summary>
    public static Tensor CosineLogits(Tensor a, Tensor b, Tensor scale)
    {
        using var scope = NewDisposeScope();
        var an = nn.functional.normalize(a, p: 2, dim: -1);
        var bn = nn.functional.normalize(b, p: 2, dim: -1);
        return (scale * an.matmul(bn.transpose(0, 1))).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Fraction of rows whose highest logit is a positive (top-1 retrieval accuracy), detached; with
    /// <paramref name="mask"/> the identity it is plain top-1 accuracy.
    /// </summary>
    public static Tensor TopOneAccuracy(Tensor logits, Tensor mask)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var hit = mask.gather(1, logits.detach().argmax(1, keepdim: true));
        return hit.to_type(ScalarType.Float32).mean().MoveToOuterDisposeScope();
    }

    /// <summary>Checks that the batch holds two <c>[batch, dim]</c> embeddings of equal shape (and a matching view and groups).</summary>
    /// <exception cref="ArgumentException">A shape does not match; the message gives the shapes.</exception>
    public static void CheckBatch(ContrastiveBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var (e, t) = (batch.EcgEmbeddings, batch.TextEmbeddings);
        if (e is null || t is null) throw new ArgumentException("the batch needs ECG and text embeddings", nameof(batch));
        if (e.dim() != 2 || t.dim() != 2 || e.shape[0] != t.shape[0] || e.shape[1] != t.shape[1])
            throw new ArgumentException($"expected two [batch, dim] embeddings of equal shape, got {Shape(e)} and {Shape(t)}", nameof(batch));
        if (batch.EcgEmbeddingsView2 is { } v && (v.dim() != 2 || v.shape[0] != e.shape[0] || v.shape[1] != e.shape[1]))
            throw new ArgumentException($"the second ECG view must have the ECG embeddings' shape {Shape(e)}, got {Shape(v)}", nameof(batch));
        if (batch.TextGroups is { } g) CheckGroups(g, e.shape[0]);
    }

    private static void CheckGroups(Tensor groups, long batch)
    {
        if (groups.dim() != 1 || groups.shape[0] != batch)
            throw new ArgumentException($"text groups must be [{batch}], got {Shape(groups)}", nameof(groups));
        if (groups.dtype is not (ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte))
            throw new ArgumentException($"text groups must be an integer tensor, got {groups.dtype}", nameof(groups));
    }

    internal static string Shape(Tensor x) => "[" + string.Join(", ", x.shape) + "]";
}
