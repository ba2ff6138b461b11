using BenchmarkDotNet.Attributes;
using EcgClip.Core.Encoders;
using EcgClip.Core.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Benchmarks.Core;

/// <summary>
/// ResNet-1D encoder throughput on the CPU: inference (no_grad) and one training step (forward + CLIP loss + backward).
/// Touching <see cref="ResNetEcgEncoder"/> runs EcgClip.Core's module initializer, so TorchSharp loads inside
/// BenchmarkDotNet's generated out-of-process project without any extra step.
/// </summary>
[MemoryDiagnoser]
public class EncoderBenchmarks
{
    private ResNetEcgEncoder _encoder = null!;
    private ClipObjective _objective = null!;
    private Tensor _batch = null!;
    private Tensor _text = null!;

    /// <summary>Backbone name.</summary>
    [Params("resnet18")]
    public string Backbone { get; set; } = "resnet18";

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(1);
        torch.random.manual_seed(0);
        _encoder = new ResNetEcgEncoder(new ModelCatalog().Get(Backbone));
        _objective = new ClipObjective();
        _batch = torch.randn(8, 12, 1000);
        _text = torch.randn(8, _encoder.OutputDim);
        // Run each workload once before BenchmarkDotNet's jitting stage: libtorch initialises its kernels lazily on
        // the first call, and without this the engine mis-sizes the first stages for such a long operation.
        Inference();
        TrainStep();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _batch.Dispose();
        _text.Dispose();
        _objective.Dispose();
        _encoder.Dispose();
    }

    /// <summary>Encodes a batch of 8 ten-second 100 Hz ECGs without gradients.</summary>
    [Benchmark]
    public float Inference()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        _encoder.eval();
        return _encoder.Encode(_batch).sum().item<float>();
    }

    /// <summary>One forward + CLIP loss + backward pass on a batch of 8.</summary>
    [Benchmark]
    public float TrainStep()
    {
        using var scope = torch.NewDisposeScope();
        _encoder.train();
        _encoder.zero_grad();
        var loss = _objective.Compute(_encoder.Encode(_batch), _text).Loss;
        loss.backward();
        return loss.item<float>();
    }
}
