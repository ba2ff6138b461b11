using System.Globalization;
using EcgClip.Text.Normalization;
using Microsoft.ML.Tokenizers;

namespace EcgClip.Text.Tokenization;

/// <summary>
/// Trains a WordPiece vocabulary (Microsoft.ML.Tokenizers can only apply one). Layout of the result:
/// the special tokens <c>[PAD] [UNK] [CLS] [SEP] [MASK]</c> (ids 0–4), then the alphabet — every character of the
/// corpus and of <see cref="WordPieceTrainerOptions.InitialAlphabet"/>, each as a word start <c>c</c> and a
/// continuation <c>##c</c>, so no word made of known characters can become <c>[UNK]</c> — then merged pieces in
/// merge order.
/// </summary>
/// <remarks>
/// Words are produced exactly as <see cref="BertTokenizer"/> will see them at tokenisation time: the report
/// normaliser, then BertTokenizer's own normaliser and pre-tokeniser built from the same <see cref="TokenizerConfig"/>.
/// Merging starts from characters (non-initial ones carrying the <c>##</c> prefix) and repeatedly merges the
/// adjacent pair with the highest WordPiece likelihood score
/// <c>score(a, b) = count(ab) / (count(a) · count(b))</c> (or, with <see cref="WordPieceMergeRule.Frequency"/>, the
/// most frequent pair; counts weighted by word frequency; pairs rarer than
/// <see cref="WordPieceTrainerOptions.MinFrequency"/> are not candidates; ties go to the more frequent pair, then to
/// the smaller symbol ids), until the vocabulary reaches <see cref="WordPieceTrainerOptions.VocabSize"/> or no pair is
/// left. A merged piece is <c>a</c> followed by <c>b</c> without its <c>##</c>. Deterministic for a given corpus.
/// </remarks>
public sealed class WordPieceTrainer
{
    private readonly WordPieceTrainerOptions _options;
    private readonly TokenizerConfig _tokenizerConfig;

    /// <summary>Creates a trainer; the tokenizer config must be the one used with the trained vocabulary.</summary>
    public WordPieceTrainer(WordPieceTrainerOptions? options = null, TokenizerConfig? tokenizerConfig = null)
    {
        _options = options ?? new WordPieceTrainerOptions();
        _options.Validate();
        _tokenizerConfig = tokenizerConfig ?? new TokenizerConfig();
        _tokenizerConfig.Validate();
    }

    /// <summary>Counts the pre-tokenised words of <paramref name="reports"/> (normalised as at tokenisation time).</summary>
    public IReadOnlyDictionary<string, long> CountWords(IEnumerable<string?> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var specials = new WordPieceVocabulary(WordPieceVocabulary.DefaultSpecialTokens);
        var tokenizer = ReportTokenizer.Create(specials, _tokenizerConfig);
        BertTokenizer bert = tokenizer.Bert;
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var report in reports)
        {
            string text = tokenizer.PrepareText(report);
            if (text.Length == 0) continue;
            if (bert.Normalizer is { } n) text = n.Normalize(text);
            foreach (var (offset, length) in bert.PreTokenizer!.PreTokenize(text))
            {
                if (length == 0 || length > _tokenizerConfig.MaxInputCharsPerWord) continue;
                var word = text.AsSpan(offset, length);
                if (specials.IdOf(word.ToString()) >= 0) continue;
                lookup[word] = lookup.TryGetValue(word, out long c) ? c + 1 : 1;
            }
        }
        return counts;
    }

    /// <summary>Trains a vocabulary on <paramref name="reports"/>.</summary>
    public WordPieceVocabulary Train(IEnumerable<string?> reports) => TrainFromWordCounts(CountWords(reports));

    /// <summary>Trains a vocabulary from word frequencies (see the remarks on the type).</summary>
    public WordPieceVocabulary TrainFromWordCounts(IReadOnlyDictionary<string, long> wordCounts)
    {
        ArgumentNullException.ThrowIfNull(wordCounts);
        var vocab = new List<string>(WordPieceVocabulary.DefaultSpecialTokens);
        var inVocab = new HashSet<string>(vocab, StringComparer.Ordinal);

        // Alphabet: text elements of up to one surrogate pair, sorted ordinally for determinism.
        var alphabet = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var c in Characters(_options.InitialAlphabet)) alphabet.Add(c);
        foreach (var word in wordCounts.Keys)
            foreach (var c in Characters(word)) alphabet.Add(c);
        foreach (var c in alphabet) if (inVocab.Add(c)) vocab.Add(c);
        foreach (var c in alphabet)
        {
            var cont = WordPieceVocabulary.ContinuationPrefix + c;
            if (inVocab.Add(cont)) vocab.Add(cont);
        }

        // Symbols: ids into `symbols`; words as symbol-id arrays.
        var symbols = new List<string>();
        var symbolIds = new Dictionary<string, int>(StringComparer.Ordinal);
        int SymbolId(string s)
        {
            if (!symbolIds.TryGetValue(s, out int id)) { id = symbols.Count; symbols.Add(s); symbolIds[s] = id; }
            return id;
        }
        foreach (var v in vocab) SymbolId(v);

        var words = new List<int[]>();
        var freqs = new List<long>();
        foreach (var (word, freq) in wordCounts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (freq <= 0 || word.Length == 0) continue;
            var chars = Characters(word).ToArray();
            var syms = new int[chars.Length];
            for (int i = 0; i < chars.Length; i++) syms[i] = SymbolId(i == 0 ? chars[i] : WordPieceVocabulary.ContinuationPrefix + chars[i]);
            words.Add(syms);
            freqs.Add(freq);
        }

        var symbolCounts = new List<long>(new long[symbols.Count]);
        var pairCounts = new Dictionary<long, long>();
        var where = new Dictionary<long, HashSet<int>>();
        void Account(int w, int sign)
        {
            var s = words[w];
            long f = freqs[w] * sign;
            for (int i = 0; i < s.Length; i++) symbolCounts[s[i]] += f;
            for (int i = 0; i + 1 < s.Length; i++)
            {
                long key = PairKey(s[i], s[i + 1]);
                long updated = pairCounts.GetValueOrDefault(key) + f;
                if (updated == 0) pairCounts.Remove(key); else pairCounts[key] = updated;
                if (sign > 0)
                {
                    if (!where.TryGetValue(key, out var set)) where[key] = set = [];
                    set.Add(w);
                }
            }
        }
        for (int w = 0; w < words.Count; w++) Account(w, +1);

        bool frequency = _options.MergeRule == WordPieceMergeRule.Frequency;
        while (vocab.Count < _options.VocabSize)
        {
            long bestKey = -1, bestCount = 0;
            double bestScore = double.NegativeInfinity;
            foreach (var (key, count) in pairCounts)
            {
                if (count < _options.MinFrequency) continue;
                int a = (int)(key >> 32), b = (int)(key & 0xFFFFFFFF);
                double score = frequency ? count : count / ((double)symbolCounts[a] * symbolCounts[b]);
                if (score > bestScore || (score == bestScore && (count > bestCount || (count == bestCount && key < bestKey))))
                {
                    bestScore = score; bestCount = count; bestKey = key;
                }
            }
            if (bestKey < 0) break;

            int left = (int)(bestKey >> 32), right = (int)(bestKey & 0xFFFFFFFF);
            string merged = symbols[left] + symbols[right][WordPieceVocabulary.ContinuationPrefix.Length..];
            int mergedId = SymbolId(merged);
            while (symbolCounts.Count < symbols.Count) symbolCounts.Add(0);
            if (inVocab.Add(merged)) vocab.Add(merged);

            foreach (int w in where[bestKey].ToArray())
            {
                var s = words[w];
                if (!ContainsPair(s, left, right)) continue;
                Account(w, -1);
                var rewritten = new List<int>(s.Length);
                for (int i = 0; i < s.Length; i++)
                {
                    if (i + 1 < s.Length && s[i] == left && s[i + 1] == right) { rewritten.Add(mergedId); i++; }
                    else rewritten.Add(s[i]);
                }
                words[w] = rewritten.ToArray();
                Account(w, +1);
            }
            where.Remove(bestKey);
            pairCounts.Remove(bestKey);
        }
        return new WordPieceVocabulary(vocab);
    }

    private static long PairKey(int a, int b) => ((long)a << 32) | (uint)b;

    private static bool ContainsPair(int[] s, int a, int b)
    {
        for (int i = 0; i + 1 < s.Length; i++) if (s[i] == a && s[i + 1] == b) return true;
        return false;
    }

    /// <summary>Splits into UTF-16 characters, keeping surrogate pairs together.</summary>
    private static IEnumerable<string> Characters(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                yield return text.Substring(i, 2);
                i++;
            }
            else if (!char.IsWhiteSpace(text[i]) && CharUnicodeInfo.GetUnicodeCategory(text[i]) != UnicodeCategory.Control)
            {
                yield return text[i].ToString();
            }
        }
    }
}
