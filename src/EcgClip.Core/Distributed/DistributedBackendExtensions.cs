using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Distributed;

/// <summary>Small agreements between ranks built on the collectives.</summary>
public static class DistributedBackendExtensions
{
    /// <summary>
    /// True on every rank when <paramref name="flag"/> is true on at least one (an int64 all-reduce): e.g. stop after
    /// this step when any rank was cancelled (mpiexec forwards Ctrl-C/SIGTERM to the ranks at slightly different
    /// times, and a rank that stops alone leaves the others waiting in the next collective).
    /// </summary>
    public static bool AnyRank(this IDistributedBackend backend, bool flag)
    {
        ArgumentNullException.ThrowIfNull(backend);
        if (backend.WorldSize == 1) return flag;
        using var value = tensor(new long[] { flag ? 1 : 0 });
        backend.AllReduceSum(value);
        return value.item<long>() > 0;
    }

    /// <summary>Sum of <paramref name="value"/> over ranks (a float64 all-reduce), e.g. for logging a global mean loss.</summary>
    public static double SumOverRanks(this IDistributedBackend backend, double value)
    {
        ArgumentNullException.ThrowIfNull(backend);
        if (backend.WorldSize == 1) return value;
        using var t = tensor(new[] { value });
        backend.AllReduceSum(t);
        return t.item<double>();
    }
}
