using EcgClip.Core.Abstractions;
using EcgClip.Core.Distributed;
using EcgClip.Core.Models;
using EcgClip.Core.Training.Checkpoints;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static TorchSharp.torch;

namespace EcgClip.Core.Training;

/// <summary>
/// The data-parallel hooks of <see cref="Trainer"/> over an <see cref="IDistributedBackend"/>: per-rank data shares,
/// rank-0-only run-folder writes, parameter broadcast, gradient synchronisation, the global-batch embedding gather and
/// per-step agreement (cancellation, parameter digests). With one rank every hook is an identity, so a single-process
/// run is unchanged (same weights_sha256). Every method that is a collective must be called by every rank in the same order.
/// </summary>
public sealed class DistributedTraining
{
    private readonly EmbeddingGather _gather;
    private readonly ILogger _logger;

    /// <summary>Wraps <paramref name="backend"/>; <paramref name="options"/> gives the gradient bucket size.</summary>
    public DistributedTraining(IDistributedBackend backend, EmbeddingGather gather, IOptions<DistributedOptions> options, ILogger<DistributedTraining>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(gather);
        ArgumentNullException.ThrowIfNull(options);
        Backend = backend;
        _gather = gather;
        BucketMegabytes = options.Value.BucketMegabytes;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>One process, no communication: what <see cref="Trainer"/> uses when no distributed backend is given.</summary>
    public static DistributedTraining SingleProcess()
    {
        var backend = new SingleProcessBackend();
        return new DistributedTraining(backend, new EmbeddingGather(backend), Options.Create(new DistributedOptions()));
    }

    /// <summary>The backend the collectives go through.</summary>
    public IDistributedBackend Backend { get; }

    /// <summary>Largest gradient bucket (MiB).</summary>
    public double BucketMegabytes { get; }

    /// <summary>This process's rank.</summary>
    public int Rank => Backend.Rank;

    /// <summary>Number of ranks.</summary>
    public int WorldSize => Backend.WorldSize;

    /// <summary>True on rank 0, the only rank that writes checkpoints, metrics and progress.</summary>
    public bool IsPrimary => Backend.Rank == 0;

    /// <summary>True when more than one rank trains.</summary>
    public bool Active => Backend.WorldSize > 1;

    /// <summary>Added to the per-step dropout seed so that ranks draw different masks (0 on rank 0).</summary>
    public long DropoutSeedOffset => unchecked(1_000_000_007L * Backend.Rank);

    /// <summary>
    /// This rank's disjoint, equal share of <paramref name="train"/> for <paramref name="epoch"/>: positions r, r+W, … of the
    /// permutation seeded by (<paramref name="seed"/>, epoch) (<see cref="DistributedShardSampler"/>); the input itself with one rank.
    /// </summary>
    public IReadOnlyList<T> Shard<T>(IReadOnlyList<T> train, long seed, int epoch)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (!Active) return train;
        return new DistributedShardSampler(train.Count, Rank, WorldSize, unchecked((ulong)seed)).Shard(train, epoch);
    }

    /// <summary>Rank 0 removes half-written checkpoints of a killed run, then every rank waits for it (collective).</summary>
    public int RemoveLeftovers(CheckpointStore checkpoints)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        int removed = IsPrimary ? checkpoints.RemoveLeftovers() : 0;
        Backend.Barrier();
        return removed;
    }

    /// <summary>The latest complete checkpoint of <paramref name="runDirectory"/>, the same on every rank (collective).</summary>
    public string? LatestCheckpoint(string runDirectory)
    {
        var store = new CheckpointStore(runDirectory);
        RemoveLeftovers(store);
        return store.Latest();
    }

    /// <summary>
    /// Makes every rank hold rank 0's parameters and buffers (collective; after a resume too) and returns the gradient
    /// synchroniser of <paramref name="model"/>, or null with one rank.
    /// </summary>
    public GradientSynchronizer? Start(EcgClipModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!Active) return null;
        ParameterBroadcast.FromRoot(Backend, model);
        var sync = GradientSynchronizer.ForModel(Backend, model, model.Objective.Module, BucketMegabytes);
        _logger.LogInformation("data-parallel over {World} ranks ({Backend}): {Buckets} gradient bucket(s), {MB:F1} MB per step",
            WorldSize, Backend.Name, sync.BucketCount, sync.BytesPerStep / 1e6);
        return sync;
    }

    /// <summary>Report-group ids that mean the same on every rank (hashes of the normalised text) when distributed, else the batch's own.</summary>
    public long[] ReportGroups(PairedBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return Active ? GlobalReportGroups.Compute(batch.NormalizedReports) : batch.Groups;
    }

    /// <summary>The global batch: every rank's embeddings in rank order, this rank's rows keeping their autograd path (collective).</summary>
    public ContrastiveBatch Gather(ContrastiveBatch local) => Active ? _gather.Gather(local) : local;

    /// <summary>Averages floating-point buffers (BatchNorm statistics) over ranks (collective; before validation and checkpoints).</summary>
    public void AverageBuffers(nn.Module model)
    {
        if (Active) ParameterBroadcast.AverageBuffers(Backend, model);
    }

    /// <summary>
    /// Writes a checkpoint on rank 0 only; the others wait until it is complete (collective) and get the same path.
    /// </summary>
    public string WriteCheckpoint(CheckpointStore checkpoints, string name, Func<string> write)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentNullException.ThrowIfNull(write);
        string path = IsPrimary ? write() : Path.Combine(checkpoints.Root, name);
        if (Active) Backend.Barrier();
        return path;
    }

    /// <summary>True on every rank when <paramref name="flag"/> is true on any (collective when distributed).</summary>
    public bool AnyRank(bool flag) => Active ? Backend.AnyRank(flag) : flag;

    /// <summary>Checks that all ranks hold bit-identical parameters (collective), logging the digest; throws <see cref="DistributedException"/> if not.</summary>
    public void ThrowIfDiverged(nn.Module model, int step)
    {
        if (!Active) return;
        string digest = ParameterDigest.ThrowIfDiverged(Backend, model);
        _logger.LogInformation("step {Step}: parameters identical on all {World} ranks (sha256 {Digest})", step, WorldSize, digest);
    }

    /// <summary>Every rank's value of a SHA-256 hex digest, in rank order (collective when distributed).</summary>
    public IReadOnlyList<string> GatherDigests(string sha256Hex)
    {
        ArgumentNullException.ThrowIfNull(sha256Hex);
        if (!Active) return [sha256Hex];
        var bytes = Convert.FromHexString(sha256Hex);
        using var mine = tensor(bytes, ScalarType.Byte);
        using var all = Backend.AllGather(mine);
        var gathered = all.data<byte>().ToArray();
        return Enumerable.Range(0, WorldSize).Select(r => Convert.ToHexStringLower(gathered, r * bytes.Length, bytes.Length)).ToArray();
    }
}
