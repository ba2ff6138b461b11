using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Core.Heads;

/// <summary>
/// Two-layer projection head: Linear(in → hidden) → activation (ReLU or GELU) → Linear(hidden → out), as MERL's text
/// projector (<c>proj_t</c>: Linear, GELU, Linear) and SimCLR-style heads. Input <c>[batch, in]</c>, output <c>[batch, out]</c>.
/// </summary>
/// <remarks>
/// Component names (the checkpoint format): <c>fc1.weight</c>, <c>fc1.bias</c>, <c>fc2.weight</c>, <c>fc2.bias</c>
/// (a PyTorch <c>nn.Sequential(Linear, GELU, Linear)</c> names them <c>0.*</c> and <c>2.*</c>).
/// </remarks>
public sealed class MlpProjectionHead : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly ProjectionActivation _activation;

    /// <summary>Creates the head.</summary>
    /// <param name="inputDim">Input width.</param>
    /// <param name="hiddenDim">Hidden width.</param>
    /// <param name="outputDim">Output width.</param>
    /// <param name="activation">Activation between the two layers.</param>
    /// <exception cref="ArgumentOutOfRangeException">A width is not positive.</exception>
    public MlpProjectionHead(int inputDim, int hiddenDim, int outputDim, ProjectionActivation activation = ProjectionActivation.Gelu) : base("projection")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputDim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenDim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputDim, 1);
        fc1 = nn.Linear(inputDim, hiddenDim);
        fc2 = nn.Linear(hiddenDim, outputDim);
        _activation = activation;
        RegisterComponents();
    }

    /// <summary>The activation between the layers.</summary>
    public ProjectionActivation Activation => _activation;

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = fc1.forward(x);
        h = _activation == ProjectionActivation.Relu ? nn.functional.relu(h) : nn.functional.gelu(h);
        return fc2.forward(h).MoveToOuterDisposeScope();
    }
}

/// <summary>Activation of an <see cref="MlpProjectionHead"/>.</summary>
public enum ProjectionActivation
{
    /// <summary>max(0, x).</summary>
    Relu,
    /// <summary>x·Φ(x), the exact (erf) form, as PyTorch's default <c>nn.GELU()</c>.</summary>
    Gelu,
}
