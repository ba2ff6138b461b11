using static TorchSharp.torch;

namespace EcgClip.Core.Distributed;

/// <summary>
/// The collectives data-parallel training needs, over a fixed group of <see cref="WorldSize"/> ranks (processes).
/// Every rank must call the same collectives in the same order with tensors of the same shape and dtype; a rank that
/// does not join a collective within the configured timeout makes it fail with <see cref="CollectiveTimeoutException"/>
/// instead of hanging. Tensors are CPU, contiguous; results are bit-identical on every rank.
/// </summary>
/// <remarks>
/// Implementations: <see cref="SingleProcessBackend"/> (one rank, collectives are identities),
/// <see cref="Mpi.MpiBackend"/> (MPI, one process per rank under <c>mpiexec</c>) and
/// <see cref="InProcess.InProcessGroup"/> (ranks as threads of one process, for tests). Calls from one rank are serialised.
/// </remarks>
public interface IDistributedBackend : IDisposable
{
    /// <summary>Backend name ("single", "mpi", "inprocess").</summary>
    string Name { get; }

    /// <summary>This process's rank, 0 ≤ Rank &lt; <see cref="WorldSize"/>.</summary>
    int Rank { get; }

    /// <summary>Number of ranks in the group (1 for a single process).</summary>
    int WorldSize { get; }

    /// <summary>True on rank 0, the only rank that writes checkpoints, logs and progress.</summary>
    bool IsPrimary => Rank == 0;

    /// <summary>Sums <paramref name="tensor"/> element-wise over all ranks, in place (float32, float64 or int64).</summary>
    /// <exception cref="ArgumentException">The tensor is not a contiguous CPU tensor of a supported dtype.</exception>
    /// <exception cref="DistributedException">The collective failed or timed out.</exception>
    void AllReduceSum(Tensor tensor);

    /// <summary>
    /// Concatenates every rank's <paramref name="tensor"/> along dimension 0 in rank order: a new tensor
    /// <c>[WorldSize · n, …]</c>. All ranks must pass the same shape; a mismatch fails with a message giving both shapes.
    /// The result carries no autograd history (see <see cref="EmbeddingGather"/> for the gradient-keeping gather).
    /// </summary>
    /// <exception cref="DistributedException">Shapes differ between ranks, or the collective failed or timed out.</exception>
    Tensor AllGather(Tensor tensor);

    /// <summary>Overwrites <paramref name="tensor"/> on every rank with the values of rank <paramref name="root"/>, in place.</summary>
    void Broadcast(Tensor tensor, int root = 0);

    /// <summary>Returns once every rank has entered the barrier.</summary>
    void Barrier();

    /// <summary>
    /// Ends every rank of the job with <paramref name="exitCode"/> (after a collective failed, so no rank is left waiting
    /// for a peer that will never come). Does not return for MPI; the single-process backend exits this process.
    /// </summary>
    void Abort(int exitCode);
}
