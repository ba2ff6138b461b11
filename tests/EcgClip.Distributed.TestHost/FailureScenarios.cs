using EcgClip.Core.Distributed;
using static TorchSharp.torch;

namespace EcgClip.Distributed.TestHost;

/// <summary>Failure drills: a rank that stops joining collectives, and a rank killed mid-run.</summary>
internal static class FailureScenarios
{
    /// <summary>Rank 1 stops after two all-reduces and sleeps; the others must time out, report it and abort the job.</summary>
    public static void Hang(IDistributedBackend backend, HostArgs args)
    {
        using var x = ones(1024);
        for (int i = 0; i < 2; i++) backend.AllReduceSum(x);
        Console.WriteLine($"rank {backend.Rank}: two all-reduces done, sum {x[0].item<float>()}");
        if (backend.Rank == 1)
        {
            Thread.Sleep(TimeSpan.FromMinutes(10)); // never joins again
            return;
        }
        backend.AllReduceSum(x); // times out after args.TimeoutSeconds
    }

    /// <summary>Collectives in a loop (at most 120 s) with each rank's pid in DIR/pid.&lt;rank&gt;; the test kills one rank.</summary>
    public static void RunUntilKilled(IDistributedBackend backend, HostArgs args)
    {
        File.WriteAllText(Path.Combine(args.Out, $"pid.{backend.Rank}"), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var x = ones(4096);
        var end = DateTime.UtcNow.AddSeconds(120);
        for (long step = 0; DateTime.UtcNow < end; step++)
        {
            using var scope = NewDisposeScope();
            x.fill_(1);
            backend.AllReduceSum(x);
            if (step % 50 == 0) Console.WriteLine($"rank {backend.Rank} step {step}");
            Thread.Sleep(20);
        }
    }
}
