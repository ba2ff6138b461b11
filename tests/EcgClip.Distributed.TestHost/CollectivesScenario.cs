using System.Text.Json;
using EcgClip.Core.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Distributed.TestHost;

/// <summary>Every collective and agreement of the backend once, per dtype, results written to DIR/collectives&lt;rank&gt;.json.</summary>
internal static class CollectivesScenario
{
    public static void Run(IDistributedBackend backend, HostArgs args)
    {
        int r = backend.Rank;
        using var f32 = tensor(new float[] { r + 0.25f, 2 * r });
        backend.AllReduceSum(f32);
        using var f64 = tensor(new double[] { r + 1e-9 });
        backend.AllReduceSum(f64);
        using var i64 = tensor(new long[] { (1L << 40) + r });
        backend.AllReduceSum(i64);
        using var gathered = backend.AllGather(tensor(new byte[] { (byte)(10 + r), (byte)(20 + r), (byte)(30 + r) }).reshape(1, 3));
        using var scalarGather = backend.AllGather(tensor((float)r));
        using var fromLast = tensor(new float[] { 100 + r, 200 + r });
        backend.Broadcast(fromLast, root: backend.WorldSize - 1);
        backend.Barrier();
        bool any = backend.AnyRank(r == backend.WorldSize - 1);
        bool none = backend.AnyRank(false);
        string? mismatch = null;
        try
        {
            using var uneven = zeros(r + 1, 2);
            using var _ = backend.AllGather(uneven);
        }
        catch (DistributedException e)
        {
            mismatch = e.Message;
        }
        var json = new
        {
            rank = r,
            f32 = f32.data<float>().ToArray(),
            f64 = f64.item<double>(),
            i64 = i64.item<long>(),
            gatheredShape = gathered.shape,
            gathered = gathered.data<byte>().ToArray().Select(b => (int)b).ToArray(),
            scalarGather = scalarGather.data<float>().ToArray(),
            broadcast = fromLast.data<float>().ToArray(),
            any,
            none,
            mismatch,
        };
        File.WriteAllText(Path.Combine(args.Out, $"collectives{r}.json"), JsonSerializer.Serialize(json));
        backend.Barrier();
    }
}
