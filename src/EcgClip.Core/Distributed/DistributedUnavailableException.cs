namespace EcgClip.Core.Distributed;

/// <summary>The requested distributed backend cannot start here (e.g. no MPI library installed); the message says what to install.</summary>
public sealed class DistributedUnavailableException : DistributedException
{
    /// <summary>Creates the exception.</summary>
    public DistributedUnavailableException(string message) : base(message)
    {
    }
}
