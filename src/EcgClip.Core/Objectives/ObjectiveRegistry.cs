using EcgClip.Core.Abstractions;

namespace EcgClip.Core.Objectives;

/// <summary>
/// Name → <see cref="IContrastiveObjectiveFactory"/>: the single entry point that turns <see cref="ObjectiveOptions"/>
/// into an objective. In DI it is built from the keyed factories registered by <c>AddEcgClipObjectives</c> (so an app's
/// earlier registration of a name wins); <see cref="CreateBuiltIn"/> gives the built-ins without a container.
/// Names are case-insensitive.
/// </summary>
public sealed class ObjectiveRegistry
{
    private readonly Dictionary<string, IContrastiveObjectiveFactory> _factories = new(StringComparer.Ordinal);

    /// <summary>Creates a registry over <paramref name="factories"/>, keyed by each factory's name (a later duplicate is rejected).</summary>
    /// <exception cref="ArgumentException">Two factories share a name.</exception>
    public ObjectiveRegistry(IEnumerable<IContrastiveObjectiveFactory> factories)
        : this((factories ?? throw new ArgumentNullException(nameof(factories))).Select(f => KeyValuePair.Create(f.Name, f)))
    {
    }

    /// <summary>Creates a registry over factories keyed by their registration names (as DI registers them).</summary>
    internal ObjectiveRegistry(IEnumerable<KeyValuePair<string, IContrastiveObjectiveFactory>> factories)
    {
        foreach (var (key, factory) in factories)
        {
            string name = NormaliseName(key);
            if (!_factories.TryAdd(name, factory)) throw new ArgumentException($"objective '{name}' is registered twice", nameof(factories));
        }
    }

    /// <summary>A registry of the built-in objectives (clip, merl, siglip).</summary>
    public static ObjectiveRegistry CreateBuiltIn() => new(ContrastiveObjectiveFactory.BuiltIn);

    /// <summary>Known objective names, sorted.</summary>
    public IReadOnlyList<string> List() => _factories.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>True when <paramref name="name"/> is registered.</summary>
    public bool Contains(string name) => name is not null && _factories.ContainsKey(NormaliseName(name));

    /// <summary>The factory registered as <paramref name="name"/>.</summary>
    /// <exception cref="UnknownObjectiveException">The name is not registered; the message lists the known names.</exception>
    public IContrastiveObjectiveFactory Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _factories.TryGetValue(NormaliseName(name), out var factory) ? factory : throw new UnknownObjectiveException(name, List());
    }

    /// <summary>Creates the objective named by <see cref="ObjectiveOptions.Name"/>.</summary>
    /// <exception cref="UnknownObjectiveException">The name is not registered.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public IContrastiveObjective Create(ObjectiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Get(options.Name).Create(options);
    }

    internal static string NormaliseName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return name.Trim().ToLowerInvariant();
    }
}

/// <summary>An objective name that is not registered; the message lists the known names.</summary>
public sealed class UnknownObjectiveException(string name, IReadOnlyList<string> known)
    : ArgumentException($"unknown objective '{name}'; known objectives: {string.Join(", ", known)}")
{
    /// <summary>The name asked for.</summary>
    public string Name { get; } = name;

    /// <summary>The names that are registered.</summary>
    public IReadOnlyList<string> Known { get; } = known;
}
