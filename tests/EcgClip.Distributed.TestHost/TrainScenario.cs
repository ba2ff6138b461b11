using System.Diagnostics;
using System.Text.Json;
using EcgClip.Core.Distributed;
using EcgClip.Distributed.Checks;

namespace EcgClip.Distributed.TestHost;

/// <summary>
/// N checked data-parallel steps: rank 1+ start from perturbed weights, rank 0's are broadcast, then every step is
/// compared with the single-process step on the same global batch; per rank, the parameter digest after each step.
/// </summary>
internal static class TrainScenario
{
    public static void Run(IDistributedBackend backend, HostArgs args)
    {
        using var step = new GlobalBatchStep(backend, args.Batch, seed: 2026);
        if (backend.Rank != 0) step.Perturb(0.01 * backend.Rank);
        string before = step.Digest;
        step.BroadcastFromRoot();
        string afterBroadcast = step.Digest;
        Console.WriteLine($"rank {backend.Rank}/{backend.WorldSize} digest before broadcast {before[..16]} after {afterBroadcast[..16]}");
        var reports = new List<StepReport>();
        var clock = Stopwatch.StartNew();
        for (int s = 0; s < args.Steps; s++)
        {
            var report = step.Run(s);
            reports.Add(report);
            Console.WriteLine($"rank {backend.Rank} step {s} loss {report.Loss:F6} |dloss| {report.LossDifference:E2} |dgrad| {report.GradientDifference:E2} |demb| {report.EmbeddingGradientDifference:E2} digest {report.Digest}");
        }
        var json = new
        {
            rank = backend.Rank,
            worldSize = backend.WorldSize,
            backend = backend.Name,
            digestBeforeBroadcast = before,
            digestAfterBroadcast = afterBroadcast,
            bytesPerStep = step.BytesPerStep,
            millisecondsPerStep = clock.Elapsed.TotalMilliseconds / Math.Max(1, args.Steps),
            steps = reports,
        };
        File.WriteAllText(Path.Combine(args.Out, $"rank{backend.Rank}.json"), JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
        backend.Barrier();
    }
}
