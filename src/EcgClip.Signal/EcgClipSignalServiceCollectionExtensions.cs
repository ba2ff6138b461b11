using EcgClip.Signal.Datasets;
using EcgClip.Signal.Dsp.Preprocessing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers EcgClip.Signal's services: the format-detecting record loader and the preprocessing pipeline.</summary>
public static class EcgClipSignalServiceCollectionExtensions
{
    /// <summary>
    /// Adds an <see cref="IEcgRecordLoader"/> (every supported format, via <c>EcgReader.Read</c>) and a
    /// <see cref="PreprocessingPipeline"/> built from <paramref name="preprocessing"/> when one is given.
    /// Added with TryAdd, so an app's own registrations win.
    /// </summary>
    public static IServiceCollection AddEcgClipSignal(this IServiceCollection services, PreprocessingConfig? preprocessing = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(EcgRecordLoaders.Default);
        if (preprocessing is not null) services.TryAddSingleton(_ => new PreprocessingPipeline(preprocessing));
        return services;
    }
}
