using static TorchSharp.torch;

namespace EcgClip.Core.Distributed;

/// <summary>One rank: every collective is an identity (all-gather returns a copy). The default backend.</summary>
public sealed class SingleProcessBackend : IDistributedBackend
{
    /// <inheritdoc />
    public string Name => "single";

    /// <inheritdoc />
    public int Rank => 0;

    /// <inheritdoc />
    public int WorldSize => 1;

    /// <inheritdoc />
    public void AllReduceSum(Tensor tensor) => TensorBuffer.CheckReducible(tensor);

    /// <inheritdoc />
    public Tensor AllGather(Tensor tensor)
    {
        TensorBuffer.CheckGatherable(tensor);
        return tensor.detach().clone();
    }

    /// <inheritdoc />
    public void Broadcast(Tensor tensor, int root = 0)
    {
        TensorBuffer.CheckGatherable(tensor);
        TensorBuffer.CheckRoot(root, 1);
    }

    /// <inheritdoc />
    public void Barrier()
    {
    }

    /// <inheritdoc />
    public void Abort(int exitCode) => Environment.Exit(exitCode);

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
