using System.ComponentModel.DataAnnotations;

namespace EcgClip.Core.Distributed;

/// <summary>Which distributed backend to use and how collectives behave (bound from configuration or <c>--distributed</c>).</summary>
public sealed class DistributedOptions
{
    /// <summary>Default gradient bucket size in MiB (as PyTorch DDP).</summary>
    public const double DefaultBucketMegabytes = 25;

    /// <summary>Backend names <see cref="Backend"/> accepts.</summary>
    public static IReadOnlyList<string> KnownBackends { get; } = ["none", "mpi"];

    /// <summary>"none" (one process, the default) or "mpi" (one process per rank under mpiexec).</summary>
    [Required]
    public string Backend { get; set; } = "none";

    /// <summary>
    /// Longest time (s) one collective may take on a rank, including waiting for slower peers (e.g. rank 0 writing a
    /// checkpoint); past it the job is aborted with a clear error instead of hanging. Default 45 s.
    /// </summary>
    [Range(0.1, 86_400)]
    public double CollectiveTimeoutSeconds { get; set; } = 45;

    /// <summary>Largest gradient bucket (MiB) all-reduced in one call.</summary>
    [Range(0.001, 4096)]
    public double BucketMegabytes { get; set; } = DefaultBucketMegabytes;

    /// <summary>MPI library to load (file or soname); null: $ECGCLIP_MPI_LIBRARY, else libmpich.so.12, libmpi.so.12.</summary>
    public string? MpiLibrary { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public void ThrowIfInvalid()
    {
        if (!KnownBackends.Contains(Backend.Trim().ToLowerInvariant()))
            throw new ArgumentException($"unknown distributed backend '{Backend}'; known: {string.Join(", ", KnownBackends)}", nameof(Backend));
        if (!(CollectiveTimeoutSeconds >= 0.1 && CollectiveTimeoutSeconds <= 86_400))
            throw new ArgumentException($"CollectiveTimeoutSeconds must be in [0.1, 86400], got {CollectiveTimeoutSeconds}", nameof(CollectiveTimeoutSeconds));
        if (!(BucketMegabytes >= 0.001 && BucketMegabytes <= 4096))
            throw new ArgumentException($"BucketMegabytes must be in [0.001, 4096], got {BucketMegabytes}", nameof(BucketMegabytes));
    }
}
