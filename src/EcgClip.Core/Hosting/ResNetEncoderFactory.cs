using EcgClip.Core.Abstractions;
using EcgClip.Core.Encoders;
using EcgClip.Core.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TorchSharp;

namespace EcgClip.Core.Hosting;

/// <summary>Builds <see cref="ResNetEcgEncoder"/>s for one catalog entry, applying the options' embedding width, seed and device.</summary>
internal sealed partial class ResNetEncoderFactory(EncoderConfig config, IOptions<EcgClipOptions> options, ILogger<ResNetEncoderFactory> logger) : IEcgEncoderFactory
{
    public string Name => config.Name;

    public EncoderConfig Config => options.Value.EmbeddingDim > 0 ? config with { EmbeddingDim = options.Value.EmbeddingDim } : config;

    public IEcgEncoder Create()
    {
        TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
        var o = options.Value;
        if (o.Threads > 0) torch.set_num_threads(o.Threads);
        torch.random.manual_seed(o.Seed);
        var device = DeviceSelector.Resolve(o.Device);
        var encoder = new ResNetEcgEncoder(Config);
        if (device.type != DeviceType.CPU) encoder.to(device);
        LogCreated(logger, Name, Config.OutputDim, device.ToString(), o.Seed);
        return encoder;
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Created ECG encoder {Backbone} (output {OutputDim}) on {Device}, seed {Seed}")]
    private static partial void LogCreated(ILogger logger, string backbone, int outputDim, string device, long seed);
}

/// <summary>Default <see cref="IEcgEncoderProvider"/> over the keyed factories.</summary>
internal sealed class EcgEncoderProvider(IServiceProvider services, ModelCatalog catalog, IOptions<EcgClipOptions> options) : IEcgEncoderProvider
{
    public IReadOnlyList<string> Backbones => catalog.List();

    public IEcgEncoderFactory GetFactory(string? backbone = null)
    {
        string name = backbone ?? options.Value.Backbone;
        var config = catalog.Get(name); // throws UnknownBackboneException listing known names
        return Microsoft.Extensions.DependencyInjection.ServiceProviderKeyedServiceExtensions.GetKeyedService<IEcgEncoderFactory>(services, config.Name)
               ?? new ResNetEncoderFactory(config, options, Microsoft.Extensions.Logging.Abstractions.NullLogger<ResNetEncoderFactory>.Instance);
    }

    public IEcgEncoder CreateEncoder(string? backbone = null) => GetFactory(backbone).Create();
}
