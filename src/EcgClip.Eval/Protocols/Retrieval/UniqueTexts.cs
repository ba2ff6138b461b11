namespace EcgClip.Eval.Protocols;

/// <summary>
/// The unique-text rule of retrieval: candidates are the distinct normalised report texts, so two ECGs with the same
/// report share one candidate and a repeated report is never a false negative.
/// </summary>
/// <param name="Texts">The distinct normalised texts, in order of first appearance.</param>
/// <param name="TextOfEcg">For each ECG (query), the index of its own text in <see cref="Texts"/>.</param>
public sealed record UniqueTexts(IReadOnlyList<string> Texts, IReadOnlyList<int> TextOfEcg)
{
    /// <summary>Groups <paramref name="reports"/> (one per ECG) by their normalised text.</summary>
    /// <param name="reports">One report per ECG.</param>
    /// <param name="normalize">The normaliser used in pretraining (e.g. the text package's report normaliser);
    /// null trims, collapses whitespace and lower-cases (invariant).</param>
    public static UniqueTexts Group(IReadOnlyList<string> reports, Func<string, string>? normalize = null)
    {
        ArgumentNullException.ThrowIfNull(reports);
        normalize ??= Default;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var texts = new List<string>();
        var of = new int[reports.Count];
        for (int i = 0; i < reports.Count; i++)
        {
            string key = normalize(reports[i] ?? "");
            if (!index.TryGetValue(key, out int j))
            {
                j = texts.Count;
                index.Add(key, j);
                texts.Add(key);
            }
            of[i] = j;
        }
        return new UniqueTexts(texts, of);
    }

    private static string Default(string s) =>
        string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
}
