using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Core.Distributed;

/// <summary>
/// Combines gradients over ranks after <c>backward()</c> and before the optimiser step, so that every rank applies the
/// same update and parameters stay bit-identical. Gradients are packed into flat buckets (at most
/// <see cref="DistributedOptions.BucketMegabytes"/> each, one dtype and reduction per bucket), each bucket is
/// all-reduced once and unpacked into the parameters' <c>.grad</c> in place.
/// </summary>
/// <remarks>
/// With the global-batch loss (gathered embeddings, <see cref="EmbeddingGather"/>), rank r's backward yields
/// ∂L/∂θ restricted to its own rows for tower parameters, and the full ∂L/∂s for parameters used after the gather
/// (every rank computes the same loss from the same gathered tensors). The exact gradient of the global loss is thus
/// the <b>sum</b> of tower gradients and the <b>mean</b> of objective gradients:
/// <see cref="ForGlobalBatch"/> builds exactly that. Summing the objective's gradients would scale its step by
/// WorldSize; averaging the towers' (what DDP does with OpenCLIP's gather) would shrink theirs by 1/WorldSize.
/// Every rank must produce a gradient for every trainable parameter (freeze unused ones with <c>requires_grad</c> off).
/// </remarks>
public sealed class GradientSynchronizer
{
    private readonly IDistributedBackend _backend;
    private readonly List<Bucket> _buckets = [];

    /// <summary>Creates a synchronizer for <paramref name="groups"/>, buckets of at most <paramref name="bucketMegabytes"/> MiB.</summary>
    public GradientSynchronizer(IDistributedBackend backend, IEnumerable<ParameterGroup> groups, double bucketMegabytes = DistributedOptions.DefaultBucketMegabytes)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(groups);
        if (!(bucketMegabytes > 0)) throw new ArgumentOutOfRangeException(nameof(bucketMegabytes), bucketMegabytes, "the bucket size must be positive");
        _backend = backend;
        long limit = (long)(bucketMegabytes * 1024 * 1024);
        foreach (var group in groups)
        {
            foreach (var byType in group.Parameters.Where(p => p.requires_grad).GroupBy(p => p.dtype))
            {
                Bucket? current = null;
                foreach (var p in byType)
                {
                    long bytes = p.NumberOfElements * p.ElementSize;
                    if (current is null || (current.Bytes > 0 && current.Bytes + bytes > limit))
                    {
                        current = new Bucket(group.Reduction, byType.Key);
                        _buckets.Add(current);
                    }
                    current.Parameters.Add(p);
                    current.Bytes += bytes;
                }
            }
        }
        BytesPerStep = _buckets.Sum(b => b.Bytes);
    }

    /// <summary>
    /// The synchronizer for a global-batch contrastive step: <paramref name="towerParameters"/> (encoders and
    /// projection heads, everything before the gather) summed, <paramref name="objectiveParameters"/> (the objective's
    /// own parameters, e.g. <c>logit_scale</c>) averaged. See the class remarks.
    /// </summary>
    public static GradientSynchronizer ForGlobalBatch(IDistributedBackend backend, IEnumerable<Parameter> towerParameters, IEnumerable<Parameter> objectiveParameters, double bucketMegabytes = DistributedOptions.DefaultBucketMegabytes) =>
        new(backend,
            [new ParameterGroup(towerParameters.ToList(), GradientReduction.Sum), new ParameterGroup(objectiveParameters.ToList(), GradientReduction.Average)],
            bucketMegabytes);

    /// <summary>
    /// <see cref="ForGlobalBatch"/> for a whole model that contains its objective as a sub-module: the parameters of
    /// <paramref name="objective"/> are averaged, all other parameters of <paramref name="model"/> summed.
    /// </summary>
    public static GradientSynchronizer ForModel(IDistributedBackend backend, nn.Module model, nn.Module objective, double bucketMegabytes = DistributedOptions.DefaultBucketMegabytes)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(objective);
        var objectiveParameters = objective.parameters().ToList();
        var towers = model.parameters().Where(p => !objectiveParameters.Any(o => ReferenceEquals(o, p))).ToList();
        return ForGlobalBatch(backend, towers, objectiveParameters, bucketMegabytes);
    }

    /// <summary>Gradient bytes each rank sends into the all-reduce per step (before the MPI algorithm's own traffic).</summary>
    public long BytesPerStep { get; }

    /// <summary>Number of all-reduce calls per step.</summary>
    public int BucketCount => _buckets.Count;

    /// <summary>Combines the gradients over ranks in place (a no-op with one rank).</summary>
    /// <exception cref="DistributedException">A trainable parameter has no gradient, or the all-reduce failed.</exception>
    public void Synchronize()
    {
        if (_backend.WorldSize == 1) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var bucket in _buckets)
        {
            var grads = new List<Tensor>(bucket.Parameters.Count);
            foreach (var p in bucket.Parameters)
            {
                grads.Add(p.grad ?? throw new DistributedException(
                    $"a trainable parameter {TensorBuffer.Describe(p)} has no gradient on rank {_backend.Rank}; every rank must produce gradients for the same parameters (set requires_grad off for unused ones)"));
            }
            var flat = cat(grads.Select(g => g.reshape(-1).cpu()).ToList(), 0).contiguous();
            _backend.AllReduceSum(flat);
            if (bucket.Reduction == GradientReduction.Average) flat.div_(_backend.WorldSize);
            long offset = 0;
            foreach (var g in grads)
            {
                long n = g.NumberOfElements;
                g.copy_(flat.narrow(0, offset, n).view_as(g));
                offset += n;
            }
        }
    }

    private sealed class Bucket(GradientReduction reduction, ScalarType dtype)
    {
        public GradientReduction Reduction { get; } = reduction;

        public ScalarType DType { get; } = dtype;

        public List<Parameter> Parameters { get; } = [];

        public long Bytes { get; set; }
    }
}
