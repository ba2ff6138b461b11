using EcgClip.Core.Abstractions;

namespace EcgClip.Eval.Prediction;

/// <summary>One task's outputs for one ECG: probabilities (classification) or values (regression), named.</summary>
/// <param name="Task">The task's name.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Outputs">Output name → probability or value, in the head's output order.</param>
public sealed record TaskPrediction(string Task, TaskKind Kind, IReadOnlyList<KeyValuePair<string, double>> Outputs);

/// <summary>The model's outputs for one ECG, with the preprocessing that was applied to it.</summary>
/// <param name="Source">The file or record.</param>
/// <param name="Tasks">Per task, its named outputs (averaged over windows).</param>
/// <param name="Windows">How many windows were scored.</param>
/// <param name="Preprocessing">The steps applied to the record (see <see cref="PreparedEcg.Steps"/>).</param>
public sealed record EcgPrediction(string Source, IReadOnlyList<TaskPrediction> Tasks, int Windows, IReadOnlyList<string> Preprocessing);

/// <summary>The result for one input of a batch: a prediction, or the reason the input was refused (other inputs go on).</summary>
/// <param name="Source">The file.</param>
/// <param name="Prediction">The prediction; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the file could not be scored; null on success.</param>
public sealed record EcgPredictionResult(string Source, EcgPrediction? Prediction, string? Error);
