using EcgClip.Core.Abstractions;

namespace EcgClip.Core.Objectives;

/// <summary>
/// Creates one kind of <see cref="IContrastiveObjective"/> from <see cref="ObjectiveOptions"/>. Registered as a keyed
/// service under the objective name (<c>"clip"</c>, <c>"siglip"</c>, <c>"merl"</c>); factories rather than instances,
/// because objectives may own parameters (native memory) that belong to the model that disposes them.
/// </summary>
public interface IContrastiveObjectiveFactory
{
    /// <summary>Objective name (lower case).</summary>
    string Name { get; }

    /// <summary>Creates a fresh objective on the CPU; the caller disposes it (or the model owning it does).</summary>
    IContrastiveObjective Create(ObjectiveOptions options);
}

/// <summary>An <see cref="IContrastiveObjectiveFactory"/> over a delegate.</summary>
/// <param name="name">Objective name.</param>
/// <param name="create">Builds the objective from the options.</param>
public sealed class ContrastiveObjectiveFactory(string name, Func<ObjectiveOptions, IContrastiveObjective> create) : IContrastiveObjectiveFactory
{
    /// <inheritdoc />
    public string Name { get; } = ObjectiveRegistry.NormaliseName(name);

    /// <inheritdoc />
    public IContrastiveObjective Create(ObjectiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return create(options);
    }

    /// <summary>The built-in factories: clip, merl, siglip.</summary>
    public static IReadOnlyList<IContrastiveObjectiveFactory> BuiltIn { get; } =
    [
        new ContrastiveObjectiveFactory("clip", o => new ClipObjective(o)),
        new ContrastiveObjectiveFactory("merl", o => new MerlObjective(o)),
        new ContrastiveObjectiveFactory("siglip", o => new SigLipObjective(o)),
    ];
}
