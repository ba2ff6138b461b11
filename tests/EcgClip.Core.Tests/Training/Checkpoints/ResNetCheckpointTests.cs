using System.Diagnostics;
using EcgClip.Core.Encoders;
using EcgClip.Core.Native;
using EcgClip.Core.Training.Checkpoints;
using EcgClip.Core.Training.Optimization;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Training.Checkpoints;

/// <summary>A full-size ResNet-18 encoder + AdamW checkpoint round trip through the store, with its timings.</summary>
public sealed class ResNetCheckpointTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _run = Directory.CreateTempSubdirectory("ecgclip-r18-").FullName;

    public void Dispose() => Directory.Delete(_run, recursive: true);

    [Fact]
    public void ResNet18_WithAdamW_RoundTripsThroughTheStore()
    {
        TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
        torch.set_num_threads(2);
        random.manual_seed(0);
        using var encoder = new ResNetEcgEncoder(new ModelCatalog().Get("resnet18"));
        using var groups = AdamWParameterGroups.Create(encoder, lr: 1e-3, weightDecay: 0.01);
        using (var scope = NewDisposeScope())
        {
            encoder.train();
            var loss = encoder.forward(randn(2, 12, 250)).square().mean();
            loss.backward();
            groups.Optimizer.step();
        }
        output.WriteLine(groups.Describe());
        var store = new CheckpointStore(_run);
        var sw = Stopwatch.StartNew();
        string ckpt = store.Write("step-000001", dir =>
        {
            ModuleState.Save(encoder, Path.Combine(dir, "model.safetensors"));
            OptimizerState.Save(groups.Optimizer, Path.Combine(dir, "optimizer.bin"));
        });
        double writeMs = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        Assert.Equal(ckpt, store.Latest());
        double verifyMs = sw.Elapsed.TotalMilliseconds;

        using var fresh = new ResNetEcgEncoder(new ModelCatalog().Get("resnet18"));
        using var freshGroups = AdamWParameterGroups.Create(fresh, lr: 1e-3, weightDecay: 0.01);
        sw.Restart();
        ModuleState.Load(fresh, Path.Combine(ckpt, "model.safetensors"));
        OptimizerState.Load(freshGroups.Optimizer, Path.Combine(ckpt, "optimizer.bin"));
        double loadMs = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        string hash = ModuleState.Sha256(fresh);
        double hashMs = sw.Elapsed.TotalMilliseconds;
        Assert.Equal(ModuleState.Sha256(encoder), hash);
        Assert.Equal(groups.Decay, freshGroups.Decay);
        long bytes = CheckpointStore.ReadManifest(ckpt).Files.Sum(f => f.Size);
        output.WriteLine($"checkpoint {bytes / 1e6:F1} MB: write {writeMs:F0} ms, verify {verifyMs:F0} ms, load {loadMs:F0} ms, sha256 {hashMs:F0} ms");
    }
}
