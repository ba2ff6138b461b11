using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Distributed.Mpi;

/// <summary>
/// MPI backend: one process per rank under <c>mpiexec</c> (or Slurm's <c>srun</c>), over MPI_COMM_WORLD, through a thin
/// P/Invoke layer (<see cref="MpiLibrary"/>) over the MPICH ABI (Debian's <c>libmpich.so.12</c>). Every collective is
/// started non-blocking and completed under a <see cref="CollectiveWatchdog"/>: a peer that dies or stops joining makes
/// the collective throw <see cref="CollectiveTimeoutException"/> (or <see cref="DistributedException"/> when MPI reports
/// the failure) instead of hanging. After such a failure the backend is faulted: <see cref="Dispose"/> then calls
/// MPI_Abort, which ends every rank, because MPI_Finalize would wait forever for the missing peer.
/// </summary>
/// <remarks>
/// MPI is initialised once per process (MPI_THREAD_SERIALIZED; this class serialises its own calls) and finalised on
/// <see cref="Dispose"/> or at process exit. Started outside <c>mpiexec</c>, MPI runs as a singleton (world size 1).
/// </remarks>
public sealed partial class MpiBackend : IDistributedBackend
{
    /// <summary>Exit code of every rank when the job is aborted after a failed collective.</summary>
    public const int FailureExitCode = 3;

    private const int MaxCount = 1 << 30;

    private readonly MpiLibrary _mpi;
    private readonly CollectiveWatchdog _watchdog;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly PosixSignalRegistration? _peerFailureSignal;
    private volatile bool _peerFailed;
    private bool _faulted;
    private bool _disposed;

    private MpiBackend(MpiLibrary mpi, CollectiveWatchdog watchdog, ILogger logger)
    {
        _mpi = mpi;
        _watchdog = watchdog;
        _logger = logger;
        Rank = mpi.CommRank(MpiConstants.CommWorld);
        WorldSize = mpi.CommSize(MpiConstants.CommWorld);
        LibraryVersion = mpi.LibraryVersion();
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        if (OperatingSystem.IsLinux()) _peerFailureSignal = PosixSignalRegistration.Create(PeerFailureSignal, OnPeerFailureSignal);
    }

    // Hydra (mpiexec -disable-auto-cleanup) signals SIGUSR1 (10 on Linux) to the survivors when a rank dies.
    private static PosixSignal PeerFailureSignal => (PosixSignal)10;

    /// <inheritdoc />
    public string Name => "mpi";

    /// <inheritdoc />
    public int Rank { get; }

    /// <inheritdoc />
    public int WorldSize { get; }

    /// <summary>The MPI library's version line (e.g. "MPICH Version: 4.0.2").</summary>
    public string LibraryVersion { get; }

    /// <summary>True after a collective failed or timed out; the job must then be aborted.</summary>
    public bool IsFaulted => _faulted;

    /// <summary>
    /// Loads the MPI library, initialises MPI and sets MPI_ERRORS_RETURN on MPI_COMM_WORLD (so that failures come back
    /// as exceptions). Call once per process.
    /// </summary>
    /// <param name="options">Timeout and library path.</param>
    /// <param name="logger">Logger (rank, world size and library on start; failures).</param>
    /// <exception cref="DistributedUnavailableException">No MPI library is installed (the message says what to install), or MPI was already finalised in this process.</exception>
    public static MpiBackend Initialize(DistributedOptions options, ILogger<MpiBackend>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        var mpi = MpiLibrary.Load(options.MpiLibrary ?? Environment.GetEnvironmentVariable("ECGCLIP_MPI_LIBRARY"));
        if (mpi.Finalized()) throw new DistributedUnavailableException("MPI was already finalised in this process; an MPI backend can be created once per process");
        if (!mpi.Initialized())
        {
            int rc = mpi.InitThread(MpiConstants.ThreadSerialized, out int provided);
            if (rc != MpiConstants.Success) throw new DistributedUnavailableException($"MPI_Init_thread failed: {mpi.ErrorString(rc)}; was the job started with mpiexec from the same MPI ({mpi.Path})?");
            if (provided < MpiConstants.ThreadSerialized) throw new DistributedUnavailableException($"{mpi.Path} provides thread level {provided}, EcgClip needs MPI_THREAD_SERIALIZED (2)");
        }
        mpi.SetErrorsReturn(MpiConstants.CommWorld);
        var backend = new MpiBackend(mpi, new CollectiveWatchdog(TimeSpan.FromSeconds(options.CollectiveTimeoutSeconds)), (ILogger?)logger ?? NullLogger.Instance);
        LogStarted(backend._logger, backend.Rank, backend.WorldSize, mpi.Path, backend.LibraryVersion, options.CollectiveTimeoutSeconds);
        return backend;
    }

    /// <inheritdoc />
    public void AllReduceSum(Tensor tensor)
    {
        TensorBuffer.CheckReducible(tensor);
        int datatype = tensor.dtype switch
        {
            ScalarType.Float32 => MpiConstants.Float,
            ScalarType.Float64 => MpiConstants.Double,
            _ => MpiConstants.Int64,
        };
        long count = tensor.NumberOfElements;
        int elementSize = (int)tensor.ElementSize;
        Run($"AllReduceSum({TensorBuffer.Describe(tensor)})", basePtr =>
        {
            for (long offset = 0; offset < count; offset += MaxCount)
            {
                int n = (int)Math.Min(MaxCount, count - offset);
                nint p = basePtr + (nint)(offset * elementSize);
                Complete($"AllReduceSum({TensorBuffer.Describe(tensor)})", _mpi.Iallreduce(MpiConstants.InPlace, p, n, datatype, MpiConstants.OpSum, MpiConstants.CommWorld, out int request), request);
            }
        }, tensor);
    }

    /// <inheritdoc />
    public Tensor AllGather(Tensor tensor)
    {
        TensorBuffer.CheckGatherable(tensor);
        using (var header = GatherShapes.Header(tensor))
        using (var headers = empty([WorldSize, header.shape[0]], ScalarType.Int64))
        {
            GatherBytes(header, headers, "AllGather(shapes)");
            GatherShapes.ThrowIfDifferent(headers, tensor, Rank);
        }
        var result = empty(GatherShapes.ResultShape(tensor, WorldSize), tensor.dtype);
        GatherBytes(tensor, result, $"AllGather({TensorBuffer.Describe(tensor)})");
        return result;
    }

    private void GatherBytes(Tensor send, Tensor receive, string operation)
    {
        long bytes = TensorBuffer.ByteCount(send);
        if (bytes > int.MaxValue) throw new ArgumentException($"all-gather of more than 2 GiB per rank is not supported ({bytes} bytes)", nameof(send));
        unsafe
        {
            fixed (byte* sp = TensorBuffer.Bytes(send))
            fixed (byte* rp = TensorBuffer.Bytes(receive))
            {
                nint s = (nint)sp, r = (nint)rp;
                Run(operation, _ => Complete(operation, _mpi.Iallgather(s, (int)bytes, MpiConstants.Byte, r, (int)bytes, MpiConstants.Byte, MpiConstants.CommWorld, out int request), request), null);
            }
        }
    }

    /// <inheritdoc />
    public void Broadcast(Tensor tensor, int root = 0)
    {
        TensorBuffer.CheckGatherable(tensor);
        TensorBuffer.CheckRoot(root, WorldSize);
        long bytes = TensorBuffer.ByteCount(tensor);
        string operation = $"Broadcast({TensorBuffer.Describe(tensor)}, root {root})";
        Run(operation, basePtr =>
        {
            for (long offset = 0; offset < bytes; offset += MaxCount)
            {
                int n = (int)Math.Min(MaxCount, bytes - offset);
                Complete(operation, _mpi.Ibcast(basePtr + (nint)offset, n, MpiConstants.Byte, root, MpiConstants.CommWorld, out int request), request);
            }
        }, tensor);
    }

    /// <inheritdoc />
    public void Barrier() => Run("Barrier", _ => Complete("Barrier", _mpi.Ibarrier(MpiConstants.CommWorld, out int request), request), null);

    /// <inheritdoc />
    public void Abort(int exitCode)
    {
        LogAborting(_logger, Rank, exitCode);
        _faulted = true;
        _mpi.Abort(MpiConstants.CommWorld, exitCode);
        Environment.Exit(exitCode); // MPI_Abort does not return; this is for MPIs that return from it
    }

    /// <summary>Finalises MPI; when the backend is faulted, aborts the job instead (see the class remarks).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
            _peerFailureSignal?.Dispose();
        }
        if (_faulted) Abort(FailureExitCode);
        if (!_mpi.Finalized()) _mpi.Finalize();
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    private void OnPeerFailureSignal(PosixSignalContext context)
    {
        context.Cancel = true; // the collective in flight reports it and the job is aborted
        _peerFailed = true;
        LogPeerFailureSignal(_logger, Rank);
    }

    private void Run(string operation, Action<nint> body, Tensor? tensor)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_faulted) throw new DistributedException($"{operation} refused on rank {Rank}: an earlier collective failed, so the ranks are out of step; abort the job");
            try
            {
                unsafe
                {
                    if (tensor is null)
                    {
                        body(0);
                    }
                    else
                    {
                        fixed (byte* p = TensorBuffer.Bytes(tensor)) body((nint)p);
                    }
                }
            }
            catch (DistributedException e)
            {
                _faulted = true;
                LogCollectiveFailed(_logger, e, Rank, WorldSize, operation);
                throw;
            }
        }
    }

    private void Complete(string operation, int startCode, int request)
    {
        _mpi.Check(startCode, operation);
        _watchdog.Wait(operation, Rank, WorldSize, () =>
        {
            if (_peerFailed) throw new DistributedException($"{operation} on rank {Rank} of {WorldSize} failed: mpiexec reported that a peer rank died (SIGUSR1); aborting the job");
            int rc = _mpi.Test(ref request, out bool done);
            if (rc != MpiConstants.Success) throw new DistributedException($"{operation} failed on rank {Rank} of {WorldSize}: {_mpi.ErrorString(rc)} (a peer rank probably died)");
            return done;
        });
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "MPI rank {Rank} of {WorldSize} started ({Library}: {Version}); collective timeout {TimeoutSeconds} s")]
    private static partial void LogStarted(ILogger logger, int rank, int worldSize, string library, string version, double timeoutSeconds);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Error, Message = "Rank {Rank} of {WorldSize}: {Operation} failed")]
    private static partial void LogCollectiveFailed(ILogger logger, Exception exception, int rank, int worldSize, string operation);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Error, Message = "Rank {Rank}: mpiexec reported a failed peer rank (SIGUSR1)")]
    private static partial void LogPeerFailureSignal(ILogger logger, int rank);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Critical, Message = "Rank {Rank} aborts the MPI job with exit code {ExitCode}")]
    private static partial void LogAborting(ILogger logger, int rank, int exitCode);
}
