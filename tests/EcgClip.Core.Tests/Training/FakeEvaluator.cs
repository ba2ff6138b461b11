using EcgClip.Core.Training;

namespace EcgClip.Core.Tests.Training;

/// <summary>A minimal evaluator: the share of ECGs whose most similar text (among the unique ones) is their own (R@1).</summary>
internal sealed class TopOneEvaluator : IValidationEvaluator
{
    public string SelectionMetric => "ecg_to_text_r1";

    public IReadOnlyDictionary<string, double> Evaluate(ValidationInput input)
    {
        var unique = input.NormalizedReports.Distinct().ToList();
        var texts = input.EmbedTexts(unique);
        int hits = 0;
        for (int i = 0; i < input.Count; i++)
        {
            int best = -1;
            double bestScore = double.NegativeInfinity;
            for (int j = 0; j < unique.Count; j++)
            {
                double dot = 0, ne = 0, nt = 0;
                for (int k = 0; k < input.Dim; k++)
                {
                    double e = input.EcgEmbeddings[i * input.Dim + k], t = texts[j * input.Dim + k];
                    dot += e * t; ne += e * e; nt += t * t;
                }
                double s = dot / Math.Sqrt(ne * nt + 1e-12);
                if (s > bestScore) { bestScore = s; best = j; }
            }
            if (unique[best] == input.NormalizedReports[i]) hits++;
        }
        return new Dictionary<string, double> { ["ecg_to_text_r1"] = hits / (double)input.Count };
    }
}
