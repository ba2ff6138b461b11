using System.Text;
using EcgClip.Text.Normalization;
using Microsoft.ML.Tokenizers;

namespace EcgClip.Text.Tokenization;

/// <summary>
/// Normalises reports (<see cref="ReportNormalizer"/>) and tokenises them with Microsoft.ML.Tokenizers'
/// <see cref="BertTokenizer"/> over a validated <c>vocab.txt</c>: <c>[CLS] pieces… [SEP]</c>, truncated to
/// <see cref="TokenizerConfig.MaxLength"/>, padded with <c>[PAD]</c> in batches. Thread-safe.
/// </summary>
/// <remarks>
/// Defined behaviour: an empty (or all-boilerplate) report is <c>[CLS] [SEP]</c>; a long report is truncated to
/// <c>MaxLength</c> tokens (the last one is always <c>[SEP]</c>); a word longer than
/// <see cref="TokenizerConfig.MaxInputCharsPerWord"/> or made of pieces absent from the vocabulary is one
/// <c>[UNK]</c>; characters that are neither letters/digits nor punctuation (e.g. <c>+ &lt; &gt; °</c>) are dropped
/// by BertTokenizer's pre-tokeniser.
/// </remarks>
public sealed class ReportTokenizer
{
    private ReportTokenizer(WordPieceVocabulary vocabulary, TokenizerConfig config)
    {
        Vocabulary = vocabulary;
        Config = config;
        Normalizer = new ReportNormalizer(config.Normalizer);
        Bert = CreateBert(vocabulary, config);
        PadId = Bert.PaddingTokenId;
        UnknownId = Bert.UnknownTokenId;
        ClsId = Bert.ClassificationTokenId;
        SepId = Bert.SeparatorTokenId;
        var n = config.Normalizer;
        _normalizerCoversBert = n.UnicodeNfkc && n.CaseFold == config.LowerCase && n.CollapseWhitespace && !config.StripAccents;
    }

    // True when ReportNormalizer's output is already what BertTokenizer's BertNormalizer would produce (NFKC, control
    // characters and Unicode spaces gone, lower case, accents kept), so that pass can be skipped for speed; texts with
    // CJK ideographs or surrogates still take the full path (BertNormalizer spaces out CJK characters).
    private readonly bool _normalizerCoversBert;

    /// <summary>Loads <paramref name="vocabPath"/> (validated, see <see cref="WordPieceVocabulary.Load"/>).</summary>
    public static ReportTokenizer Load(string vocabPath, TokenizerConfig? config = null) =>
        Create(WordPieceVocabulary.Load(vocabPath), config);

    /// <summary>Builds a tokenizer over an in-memory vocabulary.</summary>
    public static ReportTokenizer Create(WordPieceVocabulary vocabulary, TokenizerConfig? config = null)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        config ??= new TokenizerConfig();
        config.Validate();
        return new ReportTokenizer(vocabulary, config);
    }

    /// <summary>The vocabulary.</summary>
    public WordPieceVocabulary Vocabulary { get; }

    /// <summary>The configuration.</summary>
    public TokenizerConfig Config { get; }

    /// <summary>The normaliser applied before <see cref="Bert"/>.</summary>
    public ReportNormalizer Normalizer { get; }

    /// <summary>The underlying Microsoft.ML.Tokenizers tokenizer.</summary>
    public BertTokenizer Bert { get; }

    /// <summary>Id of <c>[PAD]</c>.</summary>
    public int PadId { get; }

    /// <summary>Id of <c>[UNK]</c>.</summary>
    public int UnknownId { get; }

    /// <summary>Id of <c>[CLS]</c>.</summary>
    public int ClsId { get; }

    /// <summary>Id of <c>[SEP]</c>.</summary>
    public int SepId { get; }

    /// <summary>Number of vocabulary entries.</summary>
    public int VocabSize => Vocabulary.Count;

    /// <summary>Builds a <see cref="BertTokenizer"/> with the options that <paramref name="config"/> implies.</summary>
    internal static BertTokenizer CreateBert(WordPieceVocabulary vocabulary, TokenizerConfig config)
    {
        using var stream = new MemoryStream(new UTF8Encoding(false).GetBytes(vocabulary.ToText()));
        return BertTokenizer.Create(stream, new BertOptions
        {
            LowerCaseBeforeTokenization = config.LowerCase,
            RemoveNonSpacingMarks = config.StripAccents,
            ApplyBasicTokenization = true,
            SplitOnSpecialTokens = true,
            IndividuallyTokenizeCjk = true,
            UnknownToken = "[UNK]",
            ContinuingSubwordPrefix = WordPieceVocabulary.ContinuationPrefix,
            MaxInputCharsPerWord = config.MaxInputCharsPerWord,
        });
    }

    /// <summary>Word pieces of text prepared by <see cref="PrepareText"/>, without special tokens and not truncated.</summary>
    public IReadOnlyList<int> EncodePieces(string normalizedText)
    {
        ArgumentNullException.ThrowIfNull(normalizedText);
        if (normalizedText.Length == 0) return [];
        bool bertNormalization = !_normalizerCoversBert || normalizedText.AsSpan().IndexOfAnyInRange('\u3400', '\uFAFF') >= 0
                                 || normalizedText.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;
        return Bert.EncodeToIds(normalizedText, addSpecialTokens: false, considerPreTokenization: true, considerNormalization: bertNormalization);
    }

    /// <summary>Normalises and tokenises one report: <c>[CLS] … [SEP]</c>, at most <paramref name="maxLength"/> (default <see cref="TokenizerConfig.MaxLength"/>) ids.</summary>
    public int[] Encode(string? report, int? maxLength = null)
    {
        int max = maxLength ?? Config.MaxLength;
        if (max < 2) throw new ArgumentOutOfRangeException(nameof(maxLength), max, "must be ≥ 2");
        return EncodeNormalized(PrepareText(report), max);
    }

    /// <summary>
    /// The text that goes into WordPiece: <see cref="Normalizer"/>'s output, with accents removed when
    /// <see cref="TokenizerConfig.StripAccents"/> (done here because BertTokenizer's own accent stripping relies on
    /// <c>string.Normalize(FormD)</c>, a no-op under InvariantGlobalization). Also the key of the embedding cache.
    /// </summary>
    public string PrepareText(string? report)
    {
        string text = Normalizer.Normalize(report);
        return Config.StripAccents ? UnicodeCompatibility.StripAccents(text) : text;
    }

    /// <summary>Tokenises text that <see cref="PrepareText"/> has already prepared.</summary>
    internal int[] EncodeNormalized(string text, int max)
    {
        // Encode everything (the normaliser bounds the input length), then cut: like Hugging Face, truncation may
        // split a word between its pieces.
        IReadOnlyList<int> pieces = EncodePieces(text);
        int n = Math.Min(pieces.Count, max - 2);
        var ids = new int[n + 2];
        ids[0] = ClsId;
        for (int i = 0; i < n; i++) ids[i + 1] = pieces[i];
        ids[n + 1] = SepId;
        return ids;
    }

    /// <summary>
    /// Tokenises a batch, padded to its longest row (or to <paramref name="maxLength"/> when
    /// <paramref name="padToMaxLength"/>), with an attention mask. With <paramref name="padToMultipleOf"/> &gt; 1 the
    /// padded length is rounded up to a multiple of it (never beyond <paramref name="maxLength"/>), so batches come in
    /// a few shapes instead of one per longest report.
    /// </summary>
    public TokenBatch EncodeBatch(IReadOnlyList<string?> reports, int? maxLength = null, bool padToMaxLength = false, int padToMultipleOf = 1) =>
        EncodeBatch(reports, maxLength, padToMaxLength, alreadyNormalized: false, padToMultipleOf);

    /// <summary>As the public overload; with <paramref name="alreadyNormalized"/> the texts skip the normaliser.</summary>
    internal TokenBatch EncodeBatch(IReadOnlyList<string?> reports, int? maxLength, bool padToMaxLength, bool alreadyNormalized, int padToMultipleOf = 1)
    {
        ArgumentNullException.ThrowIfNull(reports);
        int max = maxLength ?? Config.MaxLength;
        if (max < 2) throw new ArgumentOutOfRangeException(nameof(maxLength), max, "must be ≥ 2");
        if (padToMultipleOf < 1) throw new ArgumentOutOfRangeException(nameof(padToMultipleOf), padToMultipleOf, "must be ≥ 1");
        var rows = new int[reports.Count][];
        int longest = padToMaxLength ? max : 2;
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = alreadyNormalized ? EncodeNormalized(reports[i] ?? "", max) : Encode(reports[i], max);
            longest = Math.Max(longest, rows[i].Length);
        }
        longest = Math.Min(max, (longest + padToMultipleOf - 1) / padToMultipleOf * padToMultipleOf);
        var ids = new long[rows.Length * longest];
        var mask = new long[rows.Length * longest];
        if (PadId != 0) Array.Fill(ids, PadId);
        for (int i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            for (int j = 0; j < row.Length; j++)
            {
                ids[i * longest + j] = row[j];
                mask[i * longest + j] = 1;
            }
        }
        return new TokenBatch(ids, mask, rows.Length, longest);
    }

    /// <summary>Token strings of one report (for inspection), <c>[CLS]</c> and <c>[SEP]</c> included.</summary>
    public IReadOnlyList<string> EncodeToTokens(string? report, int? maxLength = null) =>
        Encode(report, maxLength).Select(id => Vocabulary.Tokens[id]).ToArray();

    /// <summary>
    /// The share of <c>[UNK]</c> among all word-piece tokens (special tokens excluded, no truncation) of
    /// <paramref name="reports"/> after normalisation.
    /// </summary>
    public UnknownTokenStats MeasureUnknownRate(IEnumerable<string?> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        long tokens = 0, unknown = 0;
        int count = 0;
        foreach (var report in reports)
        {
            count++;
            foreach (int id in EncodePieces(PrepareText(report)))
            {
                tokens++;
                if (id == UnknownId) unknown++;
            }
        }
        return new UnknownTokenStats(count, tokens, unknown);
    }
}

/// <summary>Unknown-token statistics over a set of reports.</summary>
/// <param name="Reports">Reports measured.</param>
/// <param name="Tokens">Word-piece tokens produced (special tokens excluded).</param>
/// <param name="UnknownTokens">How many of them are <c>[UNK]</c>.</param>
public sealed record UnknownTokenStats(int Reports, long Tokens, long UnknownTokens)
{
    /// <summary><see cref="UnknownTokens"/> / <see cref="Tokens"/> (0 when there are no tokens).</summary>
    public double UnknownRate => Tokens == 0 ? 0 : (double)UnknownTokens / Tokens;
}
