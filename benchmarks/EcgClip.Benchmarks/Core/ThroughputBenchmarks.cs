using BenchmarkDotNet.Attributes;
using EcgClip.Core.Encoders;
using EcgClip.Core.Performance;
using EcgClip.Core.Precision;

namespace EcgClip.Benchmarks.Core;

/// <summary>
/// The work of <c>ecgclip bench train|infer</c> (<see cref="ThroughputSession"/>: encoder + Linear(512, 256), MSE, AdamW;
/// or no-grad inference) in float32 and bf16 mixed precision, on a CI-sized batch of 8 ten-second 100 Hz ECGs with one
/// thread. The same-run comparison with PyTorch at the size is benchmarks/pytorch/compare.sh.
/// </summary>
[MemoryDiagnoser]
public class ThroughputBenchmarks
{
    private ThroughputSession _train = null!;
    private ThroughputSession _infer = null!;

    /// <summary>Compute precision.</summary>
    [Params(ComputePrecision.Float32, ComputePrecision.BFloat16)]
    public ComputePrecision Precision { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = new ThroughputOptions { Encoder = new ModelCatalog().Get("resnet18"), BatchSize = 8, Length = 1000, Threads = 1, Precision = Precision };
        _train = new ThroughputSession(options, train: true);
        _infer = new ThroughputSession(options, train: false);
        // libtorch/oneDNN pick and compile kernels on the first calls; run both once before BenchmarkDotNet's jitting stage.
        _train.Step();
        _infer.Step();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _train.Dispose();
        _infer.Dispose();
    }

    /// <summary>One training step (forward + MSE + backward + AdamW).</summary>
    [Benchmark]
    public double TrainStep() => _train.Step();

    /// <summary>One no-grad inference pass.</summary>
    [Benchmark]
    public double Inference() => _infer.Step();
}
