using EcgClip.Core.Distributed;
using EcgClip.Core.Distributed.Mpi;

namespace EcgClip.Distributed.TestHost;

/// <summary>Ends the job after a failed collective (MPI_Abort through the faulted backend's Dispose).</summary>
internal static class MpiExit
{
    public static int AbortJob(IDistributedBackend backend)
    {
        if (backend is MpiBackend { IsFaulted: true }) backend.Dispose();
        return MpiBackend.FailureExitCode;
    }
}
