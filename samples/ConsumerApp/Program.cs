// A consumer app: references the packed EcgClip packages and TorchSharp-cpu, and nothing else.
// On Debian 12 / Ubuntu 22.04 EcgClip makes TorchSharp's native library loadable automatically
// (see EcgClip.Core.Native.TorchNativeLoader); no manual step is needed.
using EcgClip.Core.Hosting;
using EcgClip.Core.Native;
using Microsoft.Extensions.DependencyInjection;
using TorchSharp;

var services = new ServiceCollection()
    .AddEcgClip(o => { o.Backbone = args.Length > 0 ? args[0] : "resnet18"; o.Device = "cpu"; o.EmbeddingDim = 128; })
    .BuildServiceProvider()
    .ValidateEcgClipOptions();

using var encoder = services.GetRequiredService<IEcgEncoderProvider>().CreateEncoder();
using var scope = torch.NewDisposeScope();
encoder.Module.eval();
var ecg = torch.randn(2, encoder.Leads.Count, (long)(encoder.SamplingRate * 10));
var embedding = encoder.Encode(ecg);
Console.WriteLine($"loader fix: {TorchNativeLoader.EnsureLoaded().Status}");
Console.WriteLine($"embedding shape: [{string.Join(", ", embedding.shape)}], finite: {embedding.isfinite().all().item<bool>()}");
return embedding.shape[1] == 128 ? 0 : 1;
