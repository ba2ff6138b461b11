using EcgClip.Eval.Protocols;

namespace EcgClip.Eval.Reporting;

/// <summary>One model's cached embeddings of the three splits (the same rows and targets for every model).</summary>
/// <param name="Model">Model name, e.g. "ecgclip", "merl", "random".</param>
/// <param name="Train">Training split.</param>
/// <param name="Validation">Validation split (model selection only).</param>
/// <param name="Test">Test split (scored once per run).</param>
public sealed record ModelEmbeddings(string Model, ProbeSplit Train, ProbeSplit Validation, ProbeSplit Test);

/// <summary>Progress of <see cref="LinearProbeEvaluation"/>: one finished run.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Run">The run.</param>
public sealed record ProbeRunProgress(string Model, ProbeRun Run);

/// <summary>What <see cref="LinearProbeEvaluation.Run"/> produced.</summary>
/// <param name="Report">All results and comparisons.</param>
/// <param name="Files">The results files and per-run score folders.</param>
/// <param name="Plots">PNG paths: data_efficiency.png (classification) and pr_curves_&lt;model&gt;.png (largest fraction, first seed).</param>
public sealed record LinearProbeEvaluationResult(EvaluationReport Report, ResultsFiles Files, IReadOnlyList<string> Plots);
