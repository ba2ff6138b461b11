using System.Diagnostics;
using EcgClip.Core.Abstractions;
using EcgClip.Core.Encoders;
using EcgClip.Core.Inference;
using EcgClip.Core.Native;
using EcgClip.Core.Precision;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Performance;

/// <summary>What <see cref="EncoderThroughput"/> measures.</summary>
public sealed record ThroughputOptions
{
    /// <summary>The encoder architecture (its projection gives the embedding width, e.g. Linear(512, 256)).</summary>
    public required EncoderConfig Encoder { get; init; }
    /// <summary>ECGs per batch (default 32).</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Samples per lead (default 2500: 10 s at 250 Hz).</summary>
    public int Length { get; init; } = 2500;
    /// <summary>libtorch intra-op threads, set once before measuring (default 2).</summary>
    public int Threads { get; init; } = 2;
    /// <summary>Timed steps (default 5).</summary>
    public int Steps { get; init; } = 5;
    /// <summary>Untimed warm-up steps first (default 2): oneDNN picks and JIT-compiles its kernels on the first calls.</summary>
    public int Warmup { get; init; } = 2;
    /// <summary>float32, or bf16 mixed precision (float32 master weights, loss and optimiser).</summary>
    public ComputePrecision Precision { get; init; } = ComputePrecision.Float32;
    /// <summary>Seed of the weights, the input and the target.</summary>
    public long Seed { get; init; }
    /// <summary>Device ("cpu", "cuda", "cuda:1").</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>
    /// Infer only: run the <see cref="InferenceEncoder"/> form of the encoder (Conv+BN folded, in-place activations,
    /// inference_mode; default true). False runs the training module itself in eval mode under no_grad.
    /// </summary>
    public bool Optimised { get; init; } = true;
    /// <summary>
    /// Infer in its <see cref="InferenceEncoder"/> form with bf16: libtorch's bf16 kernels or float32 arithmetic on
    /// bf16-rounded values (<see cref="Bf16Kernels.Auto"/>: by the CPU's flags). Training always uses libtorch's kernels.
    /// </summary>
    public Bf16Kernels Bf16Kernels { get; init; } = Bf16Kernels.Auto;
    /// <summary>How the encoder lays out its activations (<see cref="ActivationLayout.Auto"/>: channels-last on AVX-512 CPUs).</summary>
    public ActivationLayout Layout { get; init; } = ActivationLayout.Auto;

    /// <summary>Checks the numbers; returns the problems found.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (BatchSize < 1) errors.Add($"batch size must be positive, got {BatchSize}");
        if (Length < 16) errors.Add($"length must be at least 16 samples, got {Length}");
        if (Threads < 1) errors.Add($"threads must be positive, got {Threads}");
        if (Steps < 1) errors.Add($"steps must be positive, got {Steps}");
        if (Warmup < 0) errors.Add($"warm-up must be >= 0, got {Warmup}");
        errors.AddRange(Encoder.Validate());
        return errors;
    }
}

/// <summary>The measured throughput.</summary>
/// <param name="EcgPerSecond">ECGs processed per second over the timed steps.</param>
/// <param name="SecondsPerStep">Mean wall time of one timed step.</param>
/// <param name="StepSeconds">Wall time of each timed step.</param>
/// <param name="Threads">libtorch's intra-op thread count while measuring.</param>
/// <param name="FinalLoss">Train: the last step's loss (shows the work was real and finite); infer: the output's mean.</param>
/// <param name="CpuSecondsPerStep">
/// Processor time of the whole process (all threads, user + system) per timed step: on a machine shared with other
/// work, wall time measures the machine's load as much as the code, processor time much less so.
/// </param>
public sealed record ThroughputResult(double EcgPerSecond, double SecondsPerStep, IReadOnlyList<double> StepSeconds, int Threads, double FinalLoss, double CpuSecondsPerStep);

/// <summary>
/// Throughput of an ECG encoder on fixed work, the same as a PyTorch script can do (benchmarks/pytorch):
/// <list type="bullet">
/// <item><b>Train</b>: encoder (backbone + its projection) on a random batch, MSE against a fixed random target,
/// backward, AdamW step (lr 1e-3, weight decay 0.01); with bf16, forward/backward on a bf16 copy and the float32 loss,
/// gradients and optimiser (<see cref="MixedPrecisionShadow"/>).</item>
/// <item><b>Infer</b>: the encoder in eval mode without gradients: by default its <see cref="InferenceEncoder"/> form
/// (Conv+BN folded, in-place activations, inference_mode; bf16 weights and activations with bf16), else the training
/// module under no_grad (bf16: a bf16 copy of the model and input).</item>
/// </list>
/// </summary>
public static class EncoderThroughput
{
    /// <summary>Measures training steps.</summary>
    public static ThroughputResult Train(ThroughputOptions options) => Measure(options, train: true);

    /// <summary>Measures inference.</summary>
    public static ThroughputResult Infer(ThroughputOptions options) => Measure(options, train: false);

    private static ThroughputResult Measure(ThroughputOptions options, bool train)
    {
        using var session = new ThroughputSession(options, train);
        var times = new List<double>(options.Steps);
        double last = double.NaN;
        using var process = Process.GetCurrentProcess();
        TimeSpan cpuStart = TimeSpan.Zero;
        for (int step = 0; step < options.Warmup + options.Steps; step++)
        {
            if (step == options.Warmup)
            {
                process.Refresh();
                cpuStart = process.TotalProcessorTime;
            }
            long start = Stopwatch.GetTimestamp();
            last = session.Step();
            if (step >= options.Warmup) times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuStart).TotalSeconds / options.Steps;
        double mean = times.Average();
        return new ThroughputResult(options.BatchSize / mean, mean, times, torch.get_num_threads(), last, cpu);
    }
}

/// <summary>
/// The model, optimiser and fixed batch of one throughput measurement, built once; <see cref="Step"/> runs one step
/// in its own dispose scope and syncs with the host once, by reading the loss. Used by <see cref="EncoderThroughput"/>
/// and by the BenchmarkDotNet suite.
/// </summary>
public sealed class ThroughputSession : IDisposable
{
    private readonly ResNetEcgEncoder _master;
    private readonly ResNetEcgEncoder? _compute;
    private readonly MixedPrecisionShadow? _shadow;
    private readonly Tensor _input, _inputCompute, _target;
    private readonly optim.Optimizer? _optimizer;
    private readonly nn.Module<Tensor, Tensor>? _model;
    private readonly IEcgEncoder? _inference;
    private readonly bool _train;

    /// <summary>Builds the work described by <paramref name="options"/>: training steps when <paramref name="train"/>, else inference.</summary>
    /// <exception cref="ArgumentException">The options are invalid (all problems listed).</exception>
    public ThroughputSession(ThroughputOptions options, bool train)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors));
        TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
        torch.set_num_threads(options.Threads);
        var device = torch.device(options.Device);
        torch.random.manual_seed(options.Seed);
        _train = train;
        _master = new ResNetEcgEncoder(options.Encoder) { Layout = options.Layout };
        _master.to(device);
        bool inferenceForm = !train && options.Optimised;
        if (options.Precision == ComputePrecision.BFloat16 && !inferenceForm)
        {
            _compute = new ResNetEcgEncoder(options.Encoder) { Layout = options.Layout };
            _compute.to(device);
            _shadow = new MixedPrecisionShadow(_master, _compute);
        }
        var generator = new torch.Generator((ulong)options.Seed, device);
        _input = torch.randn([options.BatchSize, options.Encoder.Leads.Count, options.Length], generator: generator, device: device);
        _target = torch.randn([options.BatchSize, options.Encoder.OutputDim], generator: generator, device: device);
        _optimizer = train ? torch.optim.AdamW(_master.parameters(), lr: 1e-3, weight_decay: 0.01) : null;
        if (inferenceForm)
        {
            // The inference form casts the float32 input itself (as autocast does on the PyTorch side).
            _master.eval();
            _inference = InferenceEncoder.Create(_master, options.Precision, options.Bf16Kernels);
            _inputCompute = _input.alias();
            return;
        }
        _inputCompute = _compute is null ? _input.alias() : _input.to(bfloat16);
        _model = (nn.Module<Tensor, Tensor>?)_compute ?? _master;
        if (train) _model.train(); else _model.eval();
    }

    /// <summary>Runs one step; returns the loss (train) or the output's mean (infer).</summary>
    public double Step()
    {
        using var scope = torch.NewDisposeScope();
        if (_inference is not null) return _inference.Encode(_inputCompute).mean().item<float>();
        if (!_train)
        {
            using var noGrad = torch.no_grad();
            return _model!.forward(_inputCompute).to(float32).mean().item<float>();
        }
        _optimizer!.zero_grad();
        _shadow?.SyncToCompute();
        var output = _model!.forward(_inputCompute);
        var loss = nn.functional.mse_loss(output.to(float32), _target);
        loss.backward();
        _shadow?.CopyGradientsToMaster();
        _optimizer.step();
        return loss.item<float>();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _optimizer?.Dispose();
        _inference?.Dispose();
        _inputCompute.Dispose();
        _input.Dispose();
        _target.Dispose();
        _shadow?.Dispose();
        _master.Dispose();
    }
}
