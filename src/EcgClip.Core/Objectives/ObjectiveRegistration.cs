namespace EcgClip.Core.Objectives;

/// <summary>Marks a registered objective name so the <see cref="ObjectiveRegistry"/> can enumerate the keyed factories.</summary>
/// <param name="Name">Lower-case objective name (the service key).</param>
internal sealed record ObjectiveRegistration(string Name);
