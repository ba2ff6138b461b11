using EcgClip.Core.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Distributed;

/// <summary>
/// Builds the global batch of a contrastive step from every rank's local embeddings, as OpenCLIP's
/// <c>gather_features</c> does with <c>local_loss</c> off: rows <c>[Rank · n, (Rank + 1) · n)</c> of the result are this
/// rank's own tensor with its autograd path kept, the other rows are detached copies received from the peers. The
/// objective then sees every rank's rows as negatives, and backward on this rank yields ∂L/∂(own rows) exactly, which
/// is this rank's share of the encoders' gradient; <see cref="GradientSynchronizer"/> sums those shares.
/// </summary>
/// <remarks>
/// Every rank computes the same global loss from bit-identical gathered inputs. Report groups (for shared positives)
/// must be ids that mean the same on every rank (e.g. a hash of the normalised report), not per-rank batch indices.
/// Non-CPU tensors are moved to the CPU for the exchange and the result is moved back.
/// </remarks>
public sealed class EmbeddingGather
{
    private readonly IDistributedBackend _backend;

    /// <summary>Creates the gather over <paramref name="backend"/>.</summary>
    public EmbeddingGather(IDistributedBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        _backend = backend;
    }

    /// <summary>First row of this rank's slice in a gathered batch whose local part has <paramref name="localRows"/> rows.</summary>
    public long LocalOffset(long localRows) => _backend.Rank * localRows;

    /// <summary>
    /// Gathers <paramref name="local"/> <c>[n, …]</c> from every rank into <c>[WorldSize · n, …]</c> in rank order, this
    /// rank's rows keeping their gradient. With one rank it returns <paramref name="local"/>'s alias.
    /// </summary>
    /// <exception cref="DistributedException">Ranks passed different shapes, or the exchange failed.</exception>
    public Tensor Gather(Tensor local)
    {
        ArgumentNullException.ThrowIfNull(local);
        if (local.dim() == 0) throw new ArgumentException("gather needs a tensor with a batch dimension", nameof(local));
        if (_backend.WorldSize == 1) return local.alias();
        using var scope = NewDisposeScope();
        var received = _backend.AllGather(local.detach().cpu().contiguous()).to(local.device);
        long n = local.shape[0];
        var parts = new List<Tensor>(3);
        if (_backend.Rank > 0) parts.Add(received.narrow(0, 0, _backend.Rank * n));
        parts.Add(local);
        long after = (_backend.WorldSize - 1 - _backend.Rank) * n;
        if (after > 0) parts.Add(received.narrow(0, (_backend.Rank + 1) * n, after));
        return cat(parts, 0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Gathers every tensor of <paramref name="batch"/> (ECG and text embeddings, the second ECG view and the report
    /// groups when present) into the global batch the objective computes its loss over.
    /// </summary>
    public ContrastiveBatch Gather(ContrastiveBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return new ContrastiveBatch(Gather(batch.EcgEmbeddings), Gather(batch.TextEmbeddings))
        {
            EcgEmbeddingsView2 = batch.EcgEmbeddingsView2 is { } v ? Gather(v) : null,
            TextGroups = batch.TextGroups is { } g ? Gather(g) : null,
        };
    }
}
