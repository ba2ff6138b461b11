using EcgClip.Core.Encoders;
using EcgClip.Core.Hosting;
using EcgClip.Core.Models;
using EcgClip.Core.Training;
using EcgClip.Core.Native;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers EcgClip's core services: model catalog, keyed backbone and objective factories and validated options.</summary>
public static class EcgClipServiceCollectionExtensions
{
    /// <summary>
    /// Adds EcgClip core services. Pick the backbone by configuration (<c>o.Backbone = "resnet34"</c>); every catalog
    /// backbone is also available as a keyed <see cref="IEcgEncoderFactory"/>. Options are validated at start-up
    /// (<c>ValidateOnStart</c>; hosts run it, a plain container can call <see cref="ValidateEcgClipOptions"/>).
    /// Defaults are added with TryAdd, so earlier registrations by the app win.
    /// </summary>
    public static IServiceCollection AddEcgClip(this IServiceCollection services, Action<EcgClipOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        TorchNativeLoader.EnsureLoaded();
        services.AddOptions();
        var builder = services.AddOptions<EcgClipOptions>().ValidateDataAnnotations().ValidateOnStart();
        if (configure is not null) builder.Configure(configure);

        // The catalog is built once per container: built-ins plus the configured folders.
        services.TryAddSingleton(sp =>
        {
            var catalog = new ModelCatalog();
            foreach (var dir in sp.GetRequiredService<IOptions<EcgClipOptions>>().Value.ConfigDirectories) catalog.AddDirectory(dir);
            return catalog;
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EcgClipOptions>, EcgClipOptionsValidator>());
        foreach (var name in new ModelCatalog().List())
        {
            string key = name;
            services.TryAddKeyedSingleton<IEcgEncoderFactory>(key, (sp, _) => new ResNetEncoderFactory(
                sp.GetRequiredService<ModelCatalog>().Get(key),
                sp.GetRequiredService<IOptions<EcgClipOptions>>(),
                (ILogger<ResNetEncoderFactory>?)sp.GetService<ILoggerFactory>()?.CreateLogger<ResNetEncoderFactory>() ?? NullLogger<ResNetEncoderFactory>.Instance));
        }
        services.TryAddSingleton<IEcgEncoderProvider, EcgEncoderProvider>();
        services.AddEcgClipObjectives(); // keyed "clip", "siglip", "merl" (TryAdd: an app's own registration wins)
        // Whole models and pretraining: the factory needs an ITextTowerBuilder (AddEcgClipText); the trainer uses an
        // IValidationEvaluator when one is registered (AddEcgClipEval).
        services.TryAddSingleton<TorchRuntime>();
        services.TryAddSingleton<IEcgClipModelFactory>(sp => new EcgClipModelFactory(
            sp.GetRequiredService<ModelCatalog>(), sp.GetRequiredService<ITextTowerBuilder>(), sp.GetRequiredService<EcgClip.Core.Objectives.ObjectiveRegistry>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<EcgClipModelFactory>()));
        services.TryAddTransient(sp => new Trainer(sp.GetService<IValidationEvaluator>(), sp.GetService<ILoggerFactory>(), sp.GetService<DistributedTraining>()));
        return services;
    }

    /// <summary>
    /// Runs the start-up validation of all options registered with <c>ValidateOnStart</c> (what a Generic Host does
    /// at start). Throws <see cref="OptionsValidationException"/> listing every failure.
    /// </summary>
    public static IServiceProvider ValidateEcgClipOptions(this IServiceProvider provider)
    {
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider;
    }
}
