using System.Diagnostics;
using System.Text.Json;
using EcgClip.Core.Abstractions;
using EcgClip.Core.Distributed;
using EcgClip.Core.Encoders;
using EcgClip.Core.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Distributed.TestHost;

/// <summary>
/// Throughput of a real backbone (ResNet-18/34 from the catalog, 12 × 1000 samples, a linear text tower) per rank:
/// forward + gather + CLIP + backward + gradient sync + Adam, timing the sync separately; the first step is warm-up.
/// </summary>
internal static class BenchScenario
{
    public static void Run(IDistributedBackend backend, HostArgs args)
    {
        torch.manual_seed(5);
        using var encoder = new ResNetEcgEncoder(new ModelCatalog().Get(args.Backbone));
        using var text = nn.Linear(64, encoder.OutputDim);
        using var objective = new ClipObjective(0.07);
        ParameterBroadcast.FromRoot(backend, encoder);
        ParameterBroadcast.FromRoot(backend, text);
        var towers = encoder.parameters().Concat(text.parameters()).ToList();
        var sync = GradientSynchronizer.ForGlobalBatch(backend, towers, objective.parameters());
        var gather = new EmbeddingGather(backend);
        using var optimizer = optim.Adam([.. towers, .. objective.parameters()], lr: 1e-4);
        double total = 0, syncTotal = 0;
        for (int step = 0; step <= args.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            optimizer.zero_grad();
            var ecg = randn(args.Batch, encoder.Leads.Count, 1000);
            var reports = randn(args.Batch, 64);
            var batch = gather.Gather(new ContrastiveBatch(encoder.Encode(ecg), text.forward(reports)));
            objective.Compute(batch).Loss.backward();
            var syncClock = Stopwatch.StartNew();
            sync.Synchronize();
            double syncMs = syncClock.Elapsed.TotalMilliseconds;
            optimizer.step();
            double ms = clock.Elapsed.TotalMilliseconds;
            if (step > 0)
            {
                total += ms;
                syncTotal += syncMs;
            }
            Console.WriteLine($"rank {backend.Rank} step {step} {ms:F0} ms (sync {syncMs:F1} ms)");
        }
        var json = new
        {
            rank = backend.Rank,
            worldSize = backend.WorldSize,
            backbone = args.Backbone,
            batchPerRank = args.Batch,
            threads = args.Threads,
            parameters = towers.Sum(p => p.NumberOfElements),
            bytesPerStep = sync.BytesPerStep,
            buckets = sync.BucketCount,
            millisecondsPerStep = total / args.Steps,
            syncMillisecondsPerStep = syncTotal / args.Steps,
            globalSamplesPerSecond = args.Batch * backend.WorldSize / (total / args.Steps / 1000),
            digest = ParameterDigest.Compute(encoder),
        };
        File.WriteAllText(Path.Combine(args.Out, $"bench{backend.Rank}.json"), JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
        backend.Barrier();
    }
}
