using EcgClip.Eval.Reporting;

namespace EcgClip.Eval.Protocols;

/// <summary>What <see cref="EvaluationRunner.Run"/> produced.</summary>
/// <param name="Protocol">The protocol run.</param>
/// <param name="Task">The task set.</param>
/// <param name="Model">The model's report name.</param>
/// <param name="Report">Runs, metrics and summaries (linear probe, fine-tuning, zero-shot); null for retrieval.</param>
/// <param name="Retrieval">Retrieval scores (retrieval only), else null.</param>
/// <param name="Files">The results files (results.json/csv/md) and the per-run score folders.</param>
/// <param name="Plots">PNG paths.</param>
/// <param name="SplitRows">Items used per split: train, validation, test (before a task drops rows without a target).</param>
/// <param name="EmbeddingSeconds">Wall time spent reading records and encoding them (s); 0 when all came from the cache.</param>
public sealed record EvaluationResult(
    EvaluationProtocol Protocol,
    EvaluationTask Task,
    string Model,
    EvaluationReport? Report,
    RetrievalReport? Retrieval,
    ResultsFiles Files,
    IReadOnlyList<string> Plots,
    (int Train, int Validation, int Test) SplitRows,
    double EmbeddingSeconds);

/// <summary>Progress of an evaluation: a stage and how far it got.</summary>
/// <param name="Stage">e.g. "embed train", "probe", "fine-tune".</param>
/// <param name="Done">Units done.</param>
/// <param name="Total">Units in all.</param>
public sealed record EvaluationProgress(string Stage, int Done, int Total);
