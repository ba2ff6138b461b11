using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Core.Heads;

/// <summary>
/// The two ECG views of MERL's uni-modal alignment (UMA; <c>utils/utils_builder.py</c>): from one pooled ECG feature
/// <c>[batch, in]</c>, view k = dropout_k(linear_k(x)) with two separate bias-free linear layers and dropout p (MERL: 0.1),
/// so the views differ by their weights and, in training mode, by independent dropout masks. Feed the pair to
/// <see cref="Objectives.MerlObjective"/> (as <c>view1</c>/<c>view2</c>, or as the batch's ECG embeddings and second view).
/// </summary>
/// <remarks>
/// Component names (the checkpoint format, equal to MERL's): <c>linear1.weight</c>, <c>linear2.weight</c>.
/// MERL applies them to the time-averaged output of its 1×1 <c>downconv</c>; which pooled feature to use is the model's choice.
/// </remarks>
public sealed class MerlViewHeads : nn.Module<Tensor, (Tensor View1, Tensor View2)>
{
    private readonly Linear linear1;
    private readonly Linear linear2;
    private readonly Dropout dropout1;
    private readonly Dropout dropout2;

    /// <summary>Creates the two view heads.</summary>
    /// <param name="inputDim">Width of the pooled feature.</param>
    /// <param name="outputDim">Width of each view.</param>
    /// <param name="dropout">Dropout probability of each view (MERL: 0.1).</param>
    public MerlViewHeads(int inputDim, int outputDim, double dropout = 0.1) : base("views")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputDim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputDim, 1);
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), "dropout must be in [0, 1)");
        linear1 = nn.Linear(inputDim, outputDim, hasBias: false);
        linear2 = nn.Linear(inputDim, outputDim, hasBias: false);
        dropout1 = nn.Dropout(dropout);
        dropout2 = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <summary>Returns the two views <c>[batch, out]</c> of <paramref name="pooled"/>.</summary>
    public override (Tensor View1, Tensor View2) forward(Tensor pooled)
    {
        using var scope = NewDisposeScope();
        var v1 = dropout1.forward(linear1.forward(pooled));
        var v2 = dropout2.forward(linear2.forward(pooled));
        return (v1.MoveToOuterDisposeScope(), v2.MoveToOuterDisposeScope());
    }
}
