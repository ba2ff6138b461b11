using EcgClip.Core.Objectives;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the contrastive objectives by name (keyed <see cref="IContrastiveObjectiveFactory"/>) and the <see cref="ObjectiveRegistry"/>.</summary>
public static class ObjectiveServiceCollectionExtensions
{
    /// <summary>
    /// Adds the built-in objectives (<c>clip</c>, <c>siglip</c>, <c>merl</c>) as keyed
    /// <see cref="IContrastiveObjectiveFactory"/> singletons and an <see cref="ObjectiveRegistry"/> over every registered
    /// name. All with TryAdd: a factory the app registered earlier under the same name (through
    /// <see cref="AddEcgClipObjective"/>) wins. Idempotent.
    /// </summary>
    public static IServiceCollection AddEcgClipObjectives(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var factory in ContrastiveObjectiveFactory.BuiltIn)
        {
            var instance = factory;
            services.AddEcgClipObjective(instance.Name, _ => instance);
        }
        services.TryAddSingleton(sp => new ObjectiveRegistry(
            sp.GetServices<ObjectiveRegistration>().Select(r => KeyValuePair.Create(r.Name, sp.GetRequiredKeyedService<IContrastiveObjectiveFactory>(r.Name)))));
        return services;
    }

    /// <summary>
    /// Registers an objective factory under <paramref name="name"/> (case-insensitive) unless one is registered already;
    /// the name then appears in <see cref="ObjectiveRegistry.List"/>.
    /// </summary>
    public static IServiceCollection AddEcgClipObjective(this IServiceCollection services, string name, Func<IServiceProvider, IContrastiveObjectiveFactory> factory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(factory);
        string key = name.Trim().ToLowerInvariant();
        ArgumentException.ThrowIfNullOrWhiteSpace(key, nameof(name));
        services.TryAddKeyedSingleton<IContrastiveObjectiveFactory>(key, (sp, _) => factory(sp));
        bool listed = services.Any(d => d.ServiceType == typeof(ObjectiveRegistration) && d.ImplementationInstance is ObjectiveRegistration r && r.Name == key);
        if (!listed) services.AddSingleton(new ObjectiveRegistration(key));
        return services;
    }
}
