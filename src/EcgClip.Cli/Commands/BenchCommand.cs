using System.CommandLine;
using EcgClip.Cli.Infrastructure;
using EcgClip.Core.Encoders;
using EcgClip.Core.Performance;
using EcgClip.Core.Precision;

namespace EcgClip.Cli.Commands;

/// <summary><c>ecgclip bench train|infer</c>: encoder throughput on fixed work, comparable with benchmarks/pytorch/bench_resnet1d.py.</summary>
internal sealed class BenchCommand : ICommandFactory
{
    public Command Create()
    {
        var bench = new Command("bench", "Measure ECG encoder throughput (ECGs per second) on fixed, reproducible work; the same work as benchmarks/pytorch/bench_resnet1d.py does in PyTorch.");
        bench.Subcommands.Add(Create("train",
            "Training throughput: encoder (backbone + Linear(512, embedding)), MSE against a fixed random target, AdamW (lr 1e-3,\n" +
            "weight decay 0.01), forward + backward + step, timed after the warm-up steps. --precision bf16 runs forward and backward on\n" +
            "a bfloat16 copy of the model with float32 master weights, loss and optimiser (mixed precision).", train: true));
        bench.Subcommands.Add(Create("infer",
            "Inference throughput: the encoder in eval mode under no_grad on a random batch, timed after the warm-up steps\n" +
            "(--precision bf16: a bfloat16 copy of the model and input).", train: false));
        return bench;
    }

    private static Command Create(string name, string description, bool train)
    {
        var backbone = new Option<string>("--backbone") { Description = "Built-in encoder (resnet18, resnet34) or a path to an encoder config JSON.", DefaultValueFactory = _ => "resnet18" };
        var batch = new Option<int>("--batch-size") { Description = "ECGs per batch (default 32).", DefaultValueFactory = _ => 32 };
        var length = new Option<int>("--length") { Description = "Samples per lead (default 2500).", DefaultValueFactory = _ => 2500 };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (default 2).", DefaultValueFactory = _ => 2 };
        var steps = new Option<int>("--steps") { Description = "Timed steps (default 5).", DefaultValueFactory = _ => 5 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed warm-up steps (default 2).", DefaultValueFactory = _ => 2 };
        var precision = new Option<string>("--precision") { Description = "float32 (default) or bf16 (mixed precision).", DefaultValueFactory = _ => "float32" };
        var device = new Option<string>("--device") { Description = "cpu (default), cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var seed = new Option<long>("--seed") { Description = "Seed of weights, input and target (default 0).", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print one JSON line." };
        var unoptimised = new Option<bool>("--unoptimised") { Description = "infer: run the training module under no_grad instead of its InferenceEncoder form (Conv+BN folded, in-place, inference_mode)." };
        var allocator = new Option<string>("--allocator") { Description = "tuned (default: glibc keeps large activations in its heap, see NativeAllocatorTuning) or default.", DefaultValueFactory = _ => "tuned" };
        var kernels = new Option<string>("--bf16-kernels")
        {
            Description = "infer with bf16: auto (default: native where the CPU has bf16 instructions, else emulated), native (libtorch's bf16\n" +
                "kernels) or emulated (float32 arithmetic on bf16-rounded weights and activations: the same numbers at float32 speed).",
            DefaultValueFactory = _ => "auto",
        };
        var layout = new Option<string>("--layout")
        {
            Description = "Activation layout: auto (default: channels-last on CPUs with AVX-512, else channels-first), channels-first\n" +
                "([batch, leads, samples], as PyTorch's Conv1d) or channels-last (samples-major: no oneDNN reorders around the convolutions).",
            DefaultValueFactory = _ => "auto",
        };
        var cmd = new Command(name, description) { backbone, batch, length, threads, steps, warmup, precision, device, seed, unoptimised, allocator, layout, json };
        if (!train) cmd.Options.Add(kernels);
        cmd.SetAction(pr => CommandRunner.Run(pr.GetValue(json), () =>
        {
            string p = pr.GetValue(precision)!;
            if (!ComputePrecisions.TryParse(p, out var prec)) throw new ArgumentException($"--precision must be float32 or bf16, got '{p}'");
            string a = pr.GetValue(allocator)!;
            if (a is not ("tuned" or "default")) throw new ArgumentException($"--allocator must be tuned or default, got '{a}'");
            var tuning = a == "tuned" ? NativeAllocatorTuning.Apply() : AllocatorTuningResult.SetByEnvironment;
            string b = pr.GetValue(backbone)!;
            var config = File.Exists(b) ? EncoderConfig.FromJson(File.ReadAllText(b), b) : new ModelCatalog().Get(b);
            var options = new ThroughputOptions
            {
                Encoder = config, BatchSize = pr.GetValue(batch), Length = pr.GetValue(length), Threads = pr.GetValue(threads),
                Steps = pr.GetValue(steps), Warmup = pr.GetValue(warmup), Precision = prec, Device = pr.GetValue(device)!, Seed = pr.GetValue(seed),
                Optimised = !pr.GetValue(unoptimised), Layout = ParseLayout(pr.GetValue(layout)!),
            };
            string k = train ? "native" : pr.GetValue(kernels)!;
            var requested = k switch
            {
                "auto" => Bf16Kernels.Auto, "native" => Bf16Kernels.Native, "emulated" => Bf16Kernels.Float32Emulated,
                _ => throw new ArgumentException($"--bf16-kernels must be auto, native or emulated, got '{k}'"),
            };
            options = options with { Bf16Kernels = requested };
            var bf16 = Bf16Support.Detect(options.Device);
            var resolved = Bf16Execution.Resolve(requested, options.Device);
            bool inferenceForm = !train && options.Optimised;
            if (prec == ComputePrecision.BFloat16 && bf16.Native == false)
                Console.Error.WriteLine(inferenceForm && resolved == Bf16Kernels.Float32Emulated
                    ? $"note: --precision bf16: {bf16.Reason.Split(": bf16 is emulated")[0]}; bf16 values are computed with float32 arithmetic (--bf16-kernels emulated)"
                    : $"warning: --precision bf16: {bf16.Reason}");
            var r = train ? EncoderThroughput.Train(options) : EncoderThroughput.Infer(options);
            if (pr.GetValue(json))
                CliJson.WriteLine(new
                {
                    mode = name, backbone = config.Name, batch_size = options.BatchSize, length = options.Length, threads = r.Threads,
                    precision = prec.ToName(), bf16_native = bf16.Native,
                    bf16_kernels = prec != ComputePrecision.BFloat16 ? null : inferenceForm ? resolved.ToName() : "native", device = options.Device, steps = options.Steps, warmup = options.Warmup,
                    inference_form = !train && options.Optimised, omp_wait_policy = OpenMpWaitPolicy.Current ?? "", allocator = a == "tuned" ? tuning.ToString().ToLowerInvariant() : "default",
                    layout = ActivationLayouts.UseChannelsLast(options.Layout, TorchSharp.torch.device(options.Device).type) ? "channels-last" : "channels-first",
                    ecg_per_s = Math.Round(r.EcgPerSecond, 2), seconds_per_step = Math.Round(r.SecondsPerStep, 4),
                    cpu_seconds_per_step = Math.Round(r.CpuSecondsPerStep, 4),
                    step_seconds = r.StepSeconds.Select(s => Math.Round(s, 4)), final_value = r.FinalLoss,
                });
            else
                Console.WriteLine($"{name} {config.Name} {prec.ToName()} batch {options.BatchSize}×{config.Leads.Count}×{options.Length}, {r.Threads} threads: " +
                                  $"{r.EcgPerSecond:F1} ECG/s ({r.SecondsPerStep * 1000:F0} ms/step over {options.Steps} steps)");
            return double.IsFinite(r.FinalLoss) ? ExitCodes.Ok : ExitCodes.Unhealthy;
        }));
        return cmd;
    }

    /// <summary>The <c>--layout</c> value.</summary>
    internal static ActivationLayout ParseLayout(string value) => value switch
    {
        "auto" => ActivationLayout.Auto,
        "channels-first" => ActivationLayout.ChannelsFirst,
        "channels-last" => ActivationLayout.ChannelsLast,
        _ => throw new ArgumentException($"--layout must be auto, channels-first or channels-last, got '{value}'"),
    };
}
