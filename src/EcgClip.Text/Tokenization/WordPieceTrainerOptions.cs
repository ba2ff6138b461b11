namespace EcgClip.Text.Tokenization;

/// <summary>Which adjacent pair <see cref="WordPieceTrainer"/> merges next.</summary>
public enum WordPieceMergeRule
{
    /// <summary>
    /// WordPiece's likelihood score <c>count(ab) / (count(a) · count(b))</c>: prefers pairs whose parts rarely occur
    /// apart (the rule of the original WordPiece and of the Hugging Face course's WordPiece trainer).
    /// </summary>
    LikelihoodScore,

    /// <summary>
    /// BPE's rule, the most frequent pair (what Hugging Face tokenizers' <c>WordPieceTrainer</c> does internally,
    /// as it wraps its BPE trainer with a <c>##</c> continuation prefix).
    /// </summary>
    Frequency,
}

/// <summary>Options of <see cref="WordPieceTrainer"/>.</summary>
public sealed record WordPieceTrainerOptions
{
    /// <summary>
    /// Target number of entries, special tokens and alphabet included. The alphabet is never cut, so a target below
    /// specials + alphabet yields specials + alphabet; a corpus with too few pairs stops earlier. Default 4,000.
    /// </summary>
    public int VocabSize { get; init; } = 4000;

    /// <summary>How the next pair to merge is chosen. Default <see cref="WordPieceMergeRule.LikelihoodScore"/>.</summary>
    public WordPieceMergeRule MergeRule { get; init; } = WordPieceMergeRule.LikelihoodScore;

    /// <summary>A pair is merged only when it occurs at least this many times (word frequencies counted). Default 2.</summary>
    public int MinFrequency { get; init; } = 2;

    /// <summary>
    /// Characters always in the alphabet, whether or not the corpus has them (each as a word start and as a
    /// <c>##</c> continuation). Default: a–z, 0–9, German/Swedish/French/Spanish letters and ASCII punctuation.
    /// </summary>
    public string InitialAlphabet { get; init; } = DefaultInitialAlphabet;

    /// <summary>The default <see cref="InitialAlphabet"/>.</summary>
    public const string DefaultInitialAlphabet =
        "abcdefghijklmnopqrstuvwxyz0123456789äöüßåéèêàâáóòôíìúùûñçæø!\"#%&'()*,-./:;?@[\\]_{}";

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad field.</summary>
    public void Validate()
    {
        if (VocabSize < WordPieceVocabulary.DefaultSpecialTokens.Count + 1)
            throw new ArgumentException($"{nameof(VocabSize)} must exceed the {WordPieceVocabulary.DefaultSpecialTokens.Count} special tokens, got {VocabSize}");
        if (MinFrequency < 1) throw new ArgumentException($"{nameof(MinFrequency)} must be ≥ 1, got {MinFrequency}");
        ArgumentNullException.ThrowIfNull(InitialAlphabet, nameof(InitialAlphabet));
    }
}
