using EcgClip.Core.Distributed;
using EcgClip.Core.Distributed.Mpi;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the distributed backend (<see cref="IDistributedBackend"/>) and the embedding gather.</summary>
public static class DistributedServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="DistributedOptions"/> (validated at start), an <see cref="IDistributedBackend"/> singleton chosen by
    /// <see cref="DistributedOptions.Backend"/> ("none" → <see cref="SingleProcessBackend"/>, "mpi" →
    /// <see cref="MpiBackend.Initialize"/>, created on first resolution and disposed with the container) and an
    /// <see cref="EmbeddingGather"/> over it. With TryAdd: an app's own backend registration wins. Resolving "mpi"
    /// without MPI installed throws <see cref="DistributedUnavailableException"/> saying what to install.
    /// </summary>
    public static IServiceCollection AddEcgClipDistributed(this IServiceCollection services, Action<DistributedOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<DistributedOptions>().ValidateDataAnnotations()
            .Validate(o => DistributedOptions.KnownBackends.Contains(o.Backend.Trim().ToLowerInvariant()),
                $"DistributedOptions.Backend must be one of: {string.Join(", ", DistributedOptions.KnownBackends)}")
            .ValidateOnStart();
        if (configure is not null) builder.Configure(configure);
        services.TryAddSingleton<IDistributedBackend>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DistributedOptions>>().Value;
            options.ThrowIfInvalid();
            return options.Backend.Trim().ToLowerInvariant() switch
            {
                "mpi" => MpiBackend.Initialize(options, sp.GetService<ILoggerFactory>()?.CreateLogger<MpiBackend>() ?? NullLogger<MpiBackend>.Instance),
                _ => new SingleProcessBackend(),
            };
        });
        services.TryAddSingleton(sp => new EmbeddingGather(sp.GetRequiredService<IDistributedBackend>()));
        return services;
    }
}
