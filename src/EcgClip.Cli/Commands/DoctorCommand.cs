using System.CommandLine;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using EcgClip.Cli.Infrastructure;
using EcgClip.Core.Hosting;
using EcgClip.Core.Native;
using EcgClip.Core.Objectives;
using Microsoft.Extensions.DependencyInjection;
using TorchSharp;

namespace EcgClip.Cli.Commands;

/// <summary><c>ecgclip doctor</c>: checks that the engine loads and trains on this machine.</summary>
internal sealed class DoctorCommand : ICommandFactory
{
    public Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON line instead of text." };
        var backbone = new Option<string>("--backbone") { Description = "Backbone for the forward+backward check (resnet18, resnet34).", DefaultValueFactory = _ => "resnet18" };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto.", DefaultValueFactory = _ => "auto" };
        var cmd = new Command("doctor",
            "Check this machine: OS, the system libstdc++ and its highest GLIBCXX version, whether EcgClip's TorchSharp\n" +
            "loader fix was applied (needed where libstdc++ lacks GLIBCXX_3.4.32, e.g. Debian 12 / Ubuntu 22.04),\n" +
            "TorchSharp and libtorch versions, threads, CUDA availability, then one forward+backward pass of the\n" +
            "ECG encoder with a CLIP loss on a random batch. Exits 0 when healthy, 3 otherwise.")
        {
            json, backbone, device,
        };
        cmd.SetAction(pr => CommandRunner.Run(pr.GetValue(json), () => Run(pr.GetValue(json), pr.GetValue(backbone)!, pr.GetValue(device)!)));
        return cmd;
    }

    private static int Run(bool json, string backbone, string device)
    {
        var native = TorchNativeLoader.EnsureLoaded();
        string? libstdcxx = native.LibStdCxx ?? LibStdCxxProbe.Locate();
        string? highest = native.HighestGlibcxx ?? (libstdcxx is null ? null : SafeHighest(libstdcxx));
        var report = new DoctorReport
        {
            Os = RuntimeInformation.OSDescription,
            Architecture = RuntimeInformation.OSArchitecture.ToString(),
            Runtime = RuntimeInformation.FrameworkDescription,
            EcgclipVersion = Version(typeof(DoctorCommand).Assembly),
            Libstdcxx = libstdcxx,
            HighestGlibcxx = highest,
            NativeFix = new NativeFixReport(native.Status.ToString(), native.Applied, native.SourceLibrary, native.PatchedLibrary, native.Error, native.Tried),
        };

        try
        {
            native.ThrowIfFailed();
            report.TorchsharpVersion = Version(typeof(torch).Assembly);
            report.LibtorchVersion = torch.__version__;
            report.Threads = torch.get_num_threads();
            report.CudaAvailable = torch.cuda.is_available();
            report.CudaDevices = report.CudaAvailable ? torch.cuda.device_count() : 0;
            var bf16 = EcgClip.Core.Precision.Bf16Support.Detect();
            report.CpuBf16Native = bf16.Native;
            report.CpuBf16 = bf16.Reason;
            report.ForwardBackward = ForwardBackward(backbone, device);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            report.Error = $"{ex.GetType().Name}: {ex.Message}";
        }

        report.Healthy = report.Error is null && report.ForwardBackward is { Finite: true };
        if (json) CliJson.WriteLine(report);
        else Print(report);
        return report.Healthy ? ExitCodes.Ok : ExitCodes.Unhealthy;
    }

    private static ForwardBackwardReport ForwardBackward(string backbone, string device)
    {
        var services = new ServiceCollection()
            .AddEcgClip(o => { o.Backbone = backbone; o.Device = device; o.Seed = 0; })
            .BuildServiceProvider()
            .ValidateEcgClipOptions();
        var provider = services.GetRequiredService<IEcgEncoderProvider>();
        var sw = Stopwatch.StartNew();
        using var scope = torch.NewDisposeScope();
        using var encoder = provider.CreateEncoder();
        using var objective = new ClipObjective();
        var dev = DeviceSelector.Resolve(device);
        objective.to(dev);
        const int batch = 4;
        int samples = (int)(encoder.SamplingRate * 10);
        var generator = new torch.Generator(0, dev);
        var ecg = torch.randn([batch, encoder.Leads.Count, samples], generator: generator, device: dev);
        var text = torch.randn([batch, encoder.OutputDim], generator: generator, device: dev);
        encoder.Module.train();
        var (embedding, featureMap) = encoder.EncodeWithFeatureMap(ecg);
        var result = objective.Compute(embedding, text);
        result.Loss.backward();
        double gradNormSq = 0;
        int parameters = 0;
        long weights = 0;
        foreach (var p in encoder.Module.parameters())
        {
            parameters++;
            weights += p.numel();
            if (p.grad is { } g) gradNormSq += g.pow(2).sum().item<float>();
        }
        double loss = result.Loss.item<float>();
        return new ForwardBackwardReport(
            Backbone: backbone,
            Device: dev.ToString(),
            Input: [batch, encoder.Leads.Count, samples],
            Embedding: [.. embedding.shape],
            FeatureMap: [.. featureMap.shape],
            Parameters: weights,
            Loss: loss,
            GradNorm: Math.Sqrt(gradNormSq),
            Finite: double.IsFinite(loss) && double.IsFinite(gradNormSq) && gradNormSq > 0 && parameters > 0,
            Seconds: Math.Round(sw.Elapsed.TotalSeconds, 3));
    }

    private static string? SafeHighest(string path)
    {
        try { return LibStdCxxProbe.HighestGlibcxx(path); }
        catch (Exception ex) when (ex is IOException or ElfFormatException or UnauthorizedAccessException) { return null; }
    }

    private static string Version(Assembly asm) =>
        asm.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0]
        ?? asm.GetName().Version?.ToString() ?? "unknown";

    private static void Print(DoctorReport r)
    {
        Console.WriteLine($"OS                : {r.Os} ({r.Architecture})");
        Console.WriteLine($"Runtime           : {r.Runtime}");
        Console.WriteLine($"EcgClip           : {r.EcgclipVersion}");
        Console.WriteLine($"libstdc++         : {r.Libstdcxx ?? "not found"} (highest {r.HighestGlibcxx ?? "?"})");
        Console.WriteLine($"Loader fix        : {r.NativeFix.Status}{(r.NativeFix.Applied ? " (applied: " + r.NativeFix.PatchedLibrary + ")" : "")}");
        if (r.NativeFix.Error is not null) Console.WriteLine($"Loader error      : {r.NativeFix.Error}");
        Console.WriteLine($"TorchSharp        : {r.TorchsharpVersion ?? "-"}   libtorch: {r.LibtorchVersion ?? "-"}");
        Console.WriteLine($"Threads           : {r.Threads}   CUDA: {(r.CudaAvailable ? $"yes ({r.CudaDevices} device(s))" : "no")}");
        if (r.CpuBf16 is not null) Console.WriteLine($"CPU bf16          : {(r.CpuBf16Native switch { true => "native", false => "emulated (use --precision float32)", null => "unknown" })} ({r.CpuBf16})");
        if (r.ForwardBackward is { } fb)
            Console.WriteLine($"Forward+backward  : {fb.Backbone} on {fb.Device}, input [{string.Join(",", fb.Input)}] -> [{string.Join(",", fb.Embedding)}], " +
                              $"{fb.Parameters:N0} weights, loss {fb.Loss:F4}, grad norm {fb.GradNorm:F4}, {fb.Seconds:F2} s");
        if (r.Error is not null) Console.WriteLine($"Error             : {r.Error}");
        Console.WriteLine(r.Healthy ? "Healthy." : "NOT healthy.");
    }

    private sealed class DoctorReport
    {
        public string Os { get; set; } = "";
        public string Architecture { get; set; } = "";
        public string Runtime { get; set; } = "";
        public string EcgclipVersion { get; set; } = "";
        public string? Libstdcxx { get; set; }
        public string? HighestGlibcxx { get; set; }
        public NativeFixReport NativeFix { get; set; } = null!;
        public string? TorchsharpVersion { get; set; }
        public string? LibtorchVersion { get; set; }
        public int Threads { get; set; }
        public bool CudaAvailable { get; set; }
        public int CudaDevices { get; set; }
        public bool? CpuBf16Native { get; set; }
        public string? CpuBf16 { get; set; }
        public ForwardBackwardReport? ForwardBackward { get; set; }
        public string? Error { get; set; }
        public bool Healthy { get; set; }
    }

    private sealed record NativeFixReport(string Status, bool Applied, string? SourceLibrary, string? PatchedLibrary, string? Error, IReadOnlyList<string> Steps);

    private sealed record ForwardBackwardReport(string Backbone, string Device, int[] Input, long[] Embedding, long[] FeatureMap, long Parameters,
        double Loss, double GradNorm, bool Finite, double Seconds);
}
