using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Distributed;

/// <summary>Keeps module state identical over ranks: parameters and buffers from one rank, or buffers averaged.</summary>
public static class ParameterBroadcast
{
    /// <summary>
    /// Overwrites every parameter and buffer of <paramref name="module"/> on every rank with rank
    /// <paramref name="root"/>'s values (at start, and after a resume that only the root loaded). A no-op with one rank.
    /// </summary>
    public static void FromRoot(IDistributedBackend backend, nn.Module module, int root = 0)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(module);
        if (backend.WorldSize == 1) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var t in module.parameters().Cast<Tensor>().Concat(module.buffers()))
        {
            var host = t.detach().cpu().contiguous();
            backend.Broadcast(host, root);
            if (!ReferenceEquals(host, t)) t.copy_(host);
        }
    }

    /// <summary>
    /// Replaces each floating-point buffer of <paramref name="module"/> (e.g. BatchNorm running mean and variance) by
    /// its mean over ranks; integer buffers (batch counters) take rank 0's value. Call before rank 0 writes a
    /// checkpoint so that it holds statistics of the whole data rather than of one rank's share.
    /// </summary>
    public static void AverageBuffers(IDistributedBackend backend, nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(module);
        if (backend.WorldSize == 1) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var b in module.buffers())
        {
            var host = b.detach().cpu().contiguous();
            if (host.is_floating_point())
            {
                var wide = host.to_type(ScalarType.Float64);
                backend.AllReduceSum(wide);
                b.copy_(wide.div_(backend.WorldSize));
            }
            else
            {
                backend.Broadcast(host, 0);
                b.copy_(host);
            }
        }
    }
}
