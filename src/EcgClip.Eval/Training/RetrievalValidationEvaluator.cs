using EcgClip.Core.Training;
using EcgClip.Eval.Metrics;
using EcgClip.Eval.Protocols;

namespace EcgClip.Eval.Training;

/// <summary>
/// Pretraining validation (and the final test): ECG→report and report→ECG retrieval R@1/5/10 over the unique
/// normalised report texts of the split (<see cref="UniqueTexts"/>: a hit is the ECG's own text in the top K, chance
/// R@K = K / unique texts), and zero-shot AUROC per PTB-XL superclass from averaged class prompts
/// (<see cref="ZeroShotPrompts"/>, <see cref="ZeroShotClassifier"/>) with their macro mean. Selection metric:
/// <c>ecg_to_text_r10</c>. Keys match Eval's <c>TrainingCurvesPlot</c>.
/// </summary>
public sealed class RetrievalValidationEvaluator : IValidationEvaluator
{
    /// <inheritdoc />
    public string SelectionMetric => "ecg_to_text_r10";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Evaluate(ValidationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        var ecg = new FeatureMatrix(input.EcgEmbeddings, input.Count, input.Dim);
        var unique = UniqueTexts.Group(input.NormalizedReports, s => s);
        var texts = new FeatureMatrix(input.EmbedTexts(unique.Texts), unique.Texts.Count, input.Dim);
        var report = RetrievalMetrics.FromEmbeddings(ecg, texts, unique.TextOfEcg);
        foreach (var r in report.EcgToText.Recall) result[$"ecg_to_text_r{r.K}"] = r.Recall;
        foreach (var r in report.TextToEcg.Recall) result[$"text_to_ecg_r{r.K}"] = r.Recall;
        foreach (var r in report.EcgToText.Recall) result[$"chance_r{r.K}"] = r.Chance;
        result["unique_texts"] = unique.Texts.Count;
        result["ecg_to_text_median_rank"] = report.EcgToText.MedianRank;

        var classes = input.LabelNames.Where(ZeroShotPrompts.PtbXlSuperclasses.ContainsKey).ToList();
        var aurocs = new List<double>();
        if (classes.Count > 0)
        {
            var templates = classes.Select(c =>
            {
                var prompts = ZeroShotPrompts.PtbXlSuperclasses[c];
                return new FeatureMatrix(input.EmbedTexts(prompts), prompts.Count, input.Dim);
            }).ToList();
            var scores = ZeroShotClassifier.Score(ecg, ZeroShotClassifier.ClassEmbeddings(templates));
            for (int c = 0; c < classes.Count; c++)
            {
                var s = new double[input.Count];
                var y = new bool[input.Count];
                for (int i = 0; i < input.Count; i++)
                {
                    s[i] = scores[i * classes.Count + c];
                    y[i] = input.Labels[i].Contains(classes[c], StringComparer.OrdinalIgnoreCase);
                }
                if (RankingMetrics.AreaUnderRoc(s, y) is { } auc)
                {
                    result[$"zero_shot_auroc_{classes[c].ToLowerInvariant()}"] = auc;
                    aurocs.Add(auc);
                }
            }
        }
        if (aurocs.Count > 0) result["zero_shot_macro_auroc"] = aurocs.Average();
        return result;
    }
}
