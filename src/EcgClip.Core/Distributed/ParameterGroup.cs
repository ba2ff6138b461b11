using TorchSharp.Modules;

namespace EcgClip.Core.Distributed;

/// <summary>Parameters whose gradients are combined over ranks the same way.</summary>
/// <param name="Parameters">The parameters; those with <c>requires_grad</c> off are skipped.</param>
/// <param name="Reduction">Sum or mean over ranks.</param>
public sealed record ParameterGroup(IReadOnlyList<Parameter> Parameters, GradientReduction Reduction);
