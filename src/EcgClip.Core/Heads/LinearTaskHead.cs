using EcgClip.Core.Abstractions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Core.Heads;

/// <summary>
/// A linear head (optionally preceded by dropout) on an embedding: the linear probe of the paper and the
/// fine-tuning head. The activation and loss follow <see cref="TaskKind"/>: sigmoid + BCE for binary/multilabel,
/// softmax + CE for multiclass (targets are class indices), identity + MSE for regression.
/// </summary>
public sealed class LinearTaskHead : nn.Module<Tensor, Tensor>, ITaskHead
{
    private readonly Dropout dropout;
    private readonly Linear linear;

    /// <summary>Creates a head from <paramref name="inputDim"/> to <paramref name="outputCount"/> outputs.</summary>
    public LinearTaskHead(TaskKind kind, int inputDim, int outputCount, double dropoutRate = 0.0) : base("head")
    {
        if (inputDim < 1) throw new ArgumentOutOfRangeException(nameof(inputDim), "input width must be positive");
        if (outputCount < 1) throw new ArgumentOutOfRangeException(nameof(outputCount), "output count must be positive");
        if (kind == TaskKind.Binary && outputCount != 1) throw new ArgumentException("a binary head has exactly one output", nameof(outputCount));
        if (kind == TaskKind.Multiclass && outputCount < 2) throw new ArgumentException("a multiclass head needs at least two classes", nameof(outputCount));
        Kind = kind;
        OutputCount = outputCount;
        dropout = nn.Dropout(dropoutRate);
        linear = nn.Linear(inputDim, outputCount);
        RegisterComponents();
    }

    /// <inheritdoc />
    public TaskKind Kind { get; }

    /// <inheritdoc />
    public int OutputCount { get; }

    /// <inheritdoc />
    public nn.Module Module => this;

    /// <inheritdoc />
    public override Tensor forward(Tensor embeddings) => linear.forward(dropout.forward(embeddings));

    /// <inheritdoc />
    public Tensor Forward(Tensor embeddings) => forward(embeddings);

    /// <inheritdoc />
    public Tensor Predict(Tensor embeddings)
    {
        using var scope = NewDisposeScope();
        var outputs = forward(embeddings);
        var result = Kind switch
        {
            TaskKind.Binary or TaskKind.Multilabel => outputs.sigmoid(),
            TaskKind.Multiclass => outputs.softmax(-1),
            _ => outputs,
        };
        return result.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor Loss(Tensor outputs, Tensor targets) => Kind switch
    {
        TaskKind.Binary or TaskKind.Multilabel => nn.functional.binary_cross_entropy_with_logits(outputs, targets.to_type(outputs.dtype)),
        TaskKind.Multiclass => nn.functional.cross_entropy(outputs, targets.to_type(int64)),
        _ => nn.functional.mse_loss(outputs, targets.to_type(outputs.dtype)),
    };
}
