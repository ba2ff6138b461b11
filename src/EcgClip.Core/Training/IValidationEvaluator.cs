namespace EcgClip.Core.Training;

/// <summary>What the trainer hands a validation evaluator: embeddings of one split and a way to embed texts.</summary>
/// <param name="EcgEmbeddings">ECG embeddings, row-major <c>[Count, Dim]</c>.</param>
/// <param name="Count">Number of ECGs.</param>
/// <param name="Dim">Embedding width.</param>
/// <param name="NormalizedReports">Each ECG's normalised report (the unique-text rule's key).</param>
/// <param name="Labels">Each ECG's label names (e.g. PTB-XL superclasses), for zero-shot AUROC.</param>
/// <param name="LabelNames">The label space (ordered).</param>
/// <param name="EmbedTexts">Embeds texts (normalised with the model's normaliser) into row-major <c>[texts, Dim]</c>.</param>
public sealed record ValidationInput(
    float[] EcgEmbeddings, int Count, int Dim, IReadOnlyList<string> NormalizedReports,
    IReadOnlyList<IReadOnlyList<string>> Labels, IReadOnlyList<string> LabelNames, Func<IReadOnlyList<string>, float[]> EmbedTexts);

/// <summary>
/// Scores a split during pretraining. Implemented in EcgClip.Eval (retrieval R@K both directions over unique texts,
/// zero-shot AUROC from class prompts) and registered by <c>AddEcgClipEval()</c>. Returned keys are snake_case metric
/// names such as <c>ecg_to_text_r10</c>, <c>text_to_ecg_r10</c>, <c>chance_r10</c>, <c>zero_shot_macro_auroc</c>.
/// </summary>
public interface IValidationEvaluator
{
    /// <summary>The metric that selects the best checkpoint (higher is better), e.g. <c>ecg_to_text_r10</c>.</summary>
    string SelectionMetric { get; }

    /// <summary>Scores one split.</summary>
    IReadOnlyDictionary<string, double> Evaluate(ValidationInput input);
}
