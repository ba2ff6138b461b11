using EcgClip.Core.Abstractions;

namespace EcgClip.Eval.Prediction;

/// <summary>What one trained task head predicts: the task's name, kind, the names of its outputs and its input width.</summary>
/// <param name="Task">Task name as users address it (e.g. "superdiagnostic", "age", "lvef_lt_40").</param>
/// <param name="Kind">Binary, multilabel, multiclass or regression.</param>
/// <param name="Outputs">One name per output (labels, classes, or the regression target), in output order.</param>
/// <param name="InputDim">Embedding width the head reads.</param>
public sealed record TaskHeadSpec(string Task, TaskKind Kind, IReadOnlyList<string> Outputs, int InputDim);
