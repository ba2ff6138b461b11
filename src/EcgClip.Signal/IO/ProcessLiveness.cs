using System.Diagnostics;

namespace EcgClip.Signal.IO;

/// <summary>Whether a process id belongs to a running process (used to tell a killed writer's leftovers, e.g. of shards or checkpoints, from live work).</summary>
public static class ProcessLiveness
{
    /// <summary>True when a process with <paramref name="pid"/> runs now (pid reuse can make a dead writer look alive: then its leftovers wait for a later run).</summary>
    public static bool IsAlive(int pid)
    {
        if (pid <= 0) return false;
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
