using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Abstractions;

/// <summary>What a task head predicts, which fixes its output activation and loss.</summary>
public enum TaskKind
{
    /// <summary>One probability (sigmoid), binary cross-entropy.</summary>
    Binary,
    /// <summary>Independent probabilities per label (sigmoid), binary cross-entropy.</summary>
    Multilabel,
    /// <summary>One of K classes (softmax), cross-entropy.</summary>
    Multiclass,
    /// <summary>Continuous targets (identity), mean squared error.</summary>
    Regression,
}

/// <summary>A downstream head on top of an embedding <c>[batch, dim]</c> (e.g. a linear probe for LVEF or diagnoses).</summary>
public interface ITaskHead : IDisposable
{
    /// <summary>Task kind.</summary>
    TaskKind Kind { get; }

    /// <summary>Number of outputs (labels, classes or regression targets).</summary>
    int OutputCount { get; }

    /// <summary>The underlying TorchSharp module.</summary>
    nn.Module Module { get; }

    /// <summary>Raw outputs (logits or regression values) <c>[batch, OutputCount]</c>.</summary>
    Tensor Forward(Tensor embeddings);

    /// <summary>Outputs after the kind's activation: probabilities for classification, values for regression.</summary>
    Tensor Predict(Tensor embeddings);

    /// <summary>The kind's loss between raw outputs and targets.</summary>
    Tensor Loss(Tensor outputs, Tensor targets);
}
