using BenchmarkDotNet.Attributes;
using EcgClip.Core.Encoders;
using EcgClip.Core.Performance;
using EcgClip.Core.Precision;

namespace EcgClip.Benchmarks.Core;

/// <summary>
/// The work of <c>ecgclip bench train|infer</c> (<see cref="ThroughputSession"/>: encoder + Linear(512, 256), MSE, AdamW;
/// or inference, folded and as the training module) in float32 and bf16 mixed precision, on a CI-sized batch of 8 ten-second 100 Hz ECGs with one
/// thread. The same-run comparison with PyTorch at the size is benchmarks/pytorch/compare.sh.
/// </summary>
[MemoryDiagnoser]
public class ThroughputBenchmarks
{
    private ThroughputSession _train = null!;
    private ThroughputSession _infer = null!;
    private ThroughputSession _inferModule = null!;

    /// <summary>Compute precision.</summary>
    [Params(ComputePrecision.Float32, ComputePrecision.BFloat16)]
    public ComputePrecision Precision { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = new ThroughputOptions { Encoder = new ModelCatalog().Get("resnet18"), BatchSize = 8, Length = 1000, Threads = 1, Precision = Precision };
        _train = new ThroughputSession(options, train: true);
        _infer = new ThroughputSession(options, train: false);
        _inferModule = new ThroughputSession(options with { Optimised = false }, train: false);
        // libtorch/oneDNN pick and compile kernels on the first calls; run each once before BenchmarkDotNet's jitting stage.
        _train.Step();
        _infer.Step();
        _inferModule.Step();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _train.Dispose();
        _infer.Dispose();
        _inferModule.Dispose();
    }

    /// <summary>One training step (forward + MSE + backward + AdamW).</summary>
    [Benchmark]
    public double TrainStep() => _train.Step();

    /// <summary>One inference pass of the <see cref="EcgClip.Core.Inference.InferenceEncoder"/> form (Conv+BN folded, in place, inference_mode).</summary>
    [Benchmark]
    public double Inference() => _infer.Step();

    /// <summary>One inference pass of the training module in eval mode under no_grad (what <see cref="Inference"/> is measured against).</summary>
    [Benchmark]
    public double InferenceTrainingModule() => _inferModule.Step();
}
