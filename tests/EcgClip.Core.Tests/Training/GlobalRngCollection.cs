namespace EcgClip.Core.Tests.Training;

/// <summary>
/// Tests whose outcome depends on libtorch's process-wide default generator (seeded init, dropout, RNG capture/restore):
/// run alone, after the parallel tests, so no other test draws from the generator in between.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRngCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "libtorch default generator";
}
