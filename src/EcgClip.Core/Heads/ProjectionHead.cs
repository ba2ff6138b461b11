using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Heads;

/// <summary>Builds the projection from a pooled feature to the embedding, by kind.</summary>
public static class ProjectionHead
{
    /// <summary>Kind name of a single linear layer (<c>nn.Linear</c>; component names <c>weight</c>, <c>bias</c>).</summary>
    public const string Linear = "linear";

    /// <summary>Kind name of an <see cref="MlpProjectionHead"/> (component names <c>fc1.*</c>, <c>fc2.*</c>).</summary>
    public const string Mlp = "mlp";

    /// <summary>The known kinds.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [Linear, Mlp];

    /// <summary>Creates a projection of <paramref name="kind"/> from <paramref name="inputDim"/> to <paramref name="outputDim"/>.</summary>
    /// <param name="kind"><see cref="Linear"/> or <see cref="Mlp"/>.</param>
    /// <param name="inputDim">Input width.</param>
    /// <param name="outputDim">Output width.</param>
    /// <param name="hiddenDim">Hidden width of the MLP; 0 = <paramref name="outputDim"/>.</param>
    /// <param name="activation">Activation of the MLP.</param>
    /// <exception cref="ArgumentException">Unknown kind (the message lists the known kinds).</exception>
    public static nn.Module<Tensor, Tensor> Create(string kind, int inputDim, int outputDim, int hiddenDim = 0, ProjectionActivation activation = ProjectionActivation.Gelu) => kind switch
    {
        Linear => nn.Linear(inputDim, outputDim),
        Mlp => new MlpProjectionHead(inputDim, hiddenDim > 0 ? hiddenDim : outputDim, outputDim, activation),
        _ => throw new ArgumentException($"unknown projection '{kind}'; known projections: {string.Join(", ", Kinds)}", nameof(kind)),
    };
}
