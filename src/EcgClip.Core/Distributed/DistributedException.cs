namespace EcgClip.Core.Distributed;

/// <summary>A collective failed (a peer died, shapes differed between ranks, the MPI library reported an error).</summary>
public class DistributedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DistributedException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public DistributedException(string message, Exception inner) : base(message, inner)
    {
    }
}
