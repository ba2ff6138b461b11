using System.Collections.Concurrent;

namespace EcgClip.Core.Encoders;

/// <summary>
/// Name → <see cref="EncoderConfig"/> registry: the embedded built-ins (<c>resnet18</c>, <c>resnet34</c>) plus any
/// added from files or folders. One instance per DI container (no static mutable state); lookups hand out the
/// immutable record, so callers override with <c>with { ... }</c>.
/// </summary>
public sealed class ModelCatalog
{
    private readonly ConcurrentDictionary<string, EncoderConfig> _configs = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a catalog holding the embedded built-in configurations.</summary>
    public ModelCatalog()
    {
        var asm = typeof(ModelCatalog).Assembly;
        foreach (var resource in asm.GetManifestResourceNames().Where(n => n.StartsWith("EcgClip.Core.Configs.", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal)))
        {
            using var stream = asm.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            Add(EncoderConfig.FromJson(reader.ReadToEnd(), resource));
        }
    }

    /// <summary>Known backbone names, sorted.</summary>
    public IReadOnlyList<string> List() => _configs.Keys.Order(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>Adds or replaces a configuration under its <see cref="EncoderConfig.Name"/>.</summary>
    public void Add(EncoderConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = config.Validate();
        if (errors.Count > 0) throw new ArgumentException($"invalid encoder configuration '{config.Name}': {string.Join("; ", errors)}", nameof(config));
        _configs[config.Name] = config;
    }

    /// <summary>Adds every <c>*.json</c> configuration in <paramref name="directory"/>.</summary>
    public void AddDirectory(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"model configuration folder not found: {directory}");
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
            Add(EncoderConfig.FromJson(File.ReadAllText(file), file));
    }

    /// <summary>True when <paramref name="name"/> is known.</summary>
    public bool Contains(string name) => _configs.ContainsKey(name);

    /// <summary>The configuration named <paramref name="name"/>.</summary>
    /// <exception cref="UnknownBackboneException">The name is not registered; the message lists the known names.</exception>
    public EncoderConfig Get(string name) =>
        _configs.TryGetValue(name, out var config) ? config : throw new UnknownBackboneException(name, List());
}

/// <summary>A backbone name that is not registered; the message lists the known names.</summary>
public sealed class UnknownBackboneException(string name, IReadOnlyList<string> known)
    : ArgumentException($"unknown ECG backbone '{name}'; known backbones: {string.Join(", ", known)}")
{
    /// <summary>The name asked for.</summary>
    public string Name { get; } = name;
    /// <summary>The names that are registered.</summary>
    public IReadOnlyList<string> Known { get; } = known;
}
