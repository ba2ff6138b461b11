using EcgClip.Core.Abstractions;
using EcgClip.Eval.Metrics;

namespace EcgClip.Eval.Protocols;

/// <summary>What a fitted probe predicted on one split, next to the truth: the inputs of every metric and report.</summary>
/// <param name="Kind">Task kind.</param>
/// <param name="Names">Output names in column order.</param>
/// <param name="Rows">Number of samples n.</param>
/// <param name="Targets">Row-major <c>[n, outputs]</c> truth: 0/1 (one-hot for multiclass) or values in target units.</param>
/// <param name="Scores">Row-major <c>[n, outputs]</c> predictions: probabilities for classification, values for regression.</param>
/// <param name="PatientIds">Patient id per row, or null.</param>
public sealed record ProbeScores(TaskKind Kind, IReadOnlyList<string> Names, int Rows, double[] Targets, double[] Scores, IReadOnlyList<long>? PatientIds)
{
    /// <summary>Number of outputs.</summary>
    public int Outputs => Names.Count;

    /// <summary>Whether the outputs are classification scores (binary, multi-label or one-vs-rest multiclass).</summary>
    public bool IsClassification => Kind != TaskKind.Regression;

    /// <summary>The labels and scores as <see cref="BinaryTaskData"/> (classification only).</summary>
    /// <exception cref="InvalidOperationException">A regression task.</exception>
    public BinaryTaskData ToBinaryTaskData()
    {
        if (!IsClassification) throw new InvalidOperationException("regression scores have no binary labels");
        return BinaryTaskData.FromRowMajor(Targets, Scores, Rows, Outputs, Names);
    }

    /// <summary>One column of <paramref name="values"/> (row-major <c>[n, outputs]</c>).</summary>
    internal static double[] Column(double[] values, int rows, int outputs, int column)
    {
        var c = new double[rows];
        for (int i = 0; i < rows; i++) c[i] = values[i * outputs + column];
        return c;
    }
}
