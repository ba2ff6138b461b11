using System.Text;
using EcgClip.Text.Tokenization;
using Microsoft.ML.Tokenizers;

namespace EcgClip.Text.Tests.Tokenization;

public sealed class WordPieceTests : IDisposable
{
    private static readonly string[] s_corpus =
    [
        "sinusrhythmus normales ekg", "sinusrhythmus linkstyp sonst normales ekg", "sinus rhythm. normal ecg.",
        "supraventrikulÄre extrasystole(n) sinusrhythmus", "sinusrytm vÄnster el-axel", "sinus bradycardia. otherwise normal ecg.",
        "sinusrhythmus unvollstÄndiger rechtsschenkelblock", "sinus rhythm. left axis deviation.",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("ecgclip-wp-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static WordPieceVocabulary Train(int size = 300) =>
        new WordPieceTrainer(new WordPieceTrainerOptions { VocabSize = size, MinFrequency = 1 }).Train(s_corpus);

    [Fact]
    public void Train_SmallCorpus_StartsWithSpecialsThenAlphabet()
    {
        var vocab = Train();
        Assert.Equal(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"], vocab.Tokens.Take(5));
        Assert.True(vocab.IdOf("ä") > 4 && vocab.IdOf("##ä") > vocab.IdOf("ä"));
        Assert.True(vocab.IdOf("##z") > 0 && vocab.IdOf("z") > 0);
        Assert.True(vocab.Count <= 300);
        Assert.Contains(vocab.Tokens, t => t.Length > 3 && t.StartsWith("##", StringComparison.Ordinal));
    }

    [Fact]
    public void Train_SameCorpusTwice_IsDeterministic() =>
        Assert.Equal(Train().Tokens, Train().Tokens);

    [Fact]
    public void Train_LargeTargetSize_StopsWhenNoPairsLeft()
    {
        var vocab = Train(100_000);
        Assert.True(vocab.Count < 100_000);
        var tokenizer = ReportTokenizer.Create(vocab);
        // Fully merged: every training word is one piece.
        Assert.Equal(["[CLS]", "sinusrhythmus", "normales", "ekg", "[SEP]"], tokenizer.EncodeToTokens("sinusrhythmus normales ekg"));
    }

    [Fact]
    public void Tokenize_TrainedVocab_HasNoUnknownOnTrainingCorpus()
    {
        var tokenizer = ReportTokenizer.Create(Train());
        Assert.Equal(0, tokenizer.MeasureUnknownRate(s_corpus).UnknownTokens);
        // Unseen word made of known characters: covered by the alphabet, still no [UNK].
        Assert.DoesNotContain(tokenizer.UnknownId, tokenizer.Encode("quizzical jump"));
    }

    [Fact]
    public void BertTokenizer_SavedVocab_LoadsAndKeepsUmlauts()
    {
        string path = Path.Combine(_dir, "vocab.txt");
        Train().Save(path);
        var bert = BertTokenizer.Create(path, new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = false });
        var ids = bert.EncodeToIds("vÄnster", addSpecialTokens: false);
        var text = string.Concat(ids.Select(id => bert.Decode([id])!.Replace("##", "")));
        Assert.Equal("vänster", text.Replace(" ", ""));
        Assert.DoesNotContain(bert.UnknownTokenId, ids);
    }

    [Fact]
    public void Encode_LongReport_TruncatesAndEndsWithSep()
    {
        var tokenizer = ReportTokenizer.Create(Train(), new TokenizerConfig { MaxLength = 8 });
        var ids = tokenizer.Encode(string.Join(' ', s_corpus));
        Assert.Equal(8, ids.Length);
        Assert.Equal(tokenizer.ClsId, ids[0]);
        Assert.Equal(tokenizer.SepId, ids[^1]);
    }

    [Fact]
    public void Encode_HundredKilobyteReport_IsTruncatedWithoutError()
    {
        var tokenizer = ReportTokenizer.Create(Train());
        string huge = string.Concat(Enumerable.Repeat("sinusrhythmus normales ekg ", 4000));
        Assert.True(huge.Length > 100_000);
        Assert.Equal(tokenizer.Config.MaxLength, tokenizer.Encode(huge).Length);
        // One 100 kB "word" is a single [UNK].
        Assert.Equal([tokenizer.ClsId, tokenizer.UnknownId, tokenizer.SepId], tokenizer.Encode(new string('a', 100_000)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("\uFFFD\uFFFD")]
    public void Encode_EmptyReport_ReturnsClsSep(string? report)
    {
        var tokenizer = ReportTokenizer.Create(Train());
        Assert.Equal([tokenizer.ClsId, tokenizer.SepId], tokenizer.Encode(report));
    }

    [Fact]
    public void EncodeBatch_MixedLengths_PadsAndMasks()
    {
        var tokenizer = ReportTokenizer.Create(Train());
        var batch = tokenizer.EncodeBatch(["sinusrhythmus normales ekg", "", "sinus"]);
        Assert.Equal(3, batch.BatchSize);
        int len = batch.SequenceLength;
        Assert.Equal(tokenizer.Encode("sinusrhythmus normales ekg").Length, len);
        Assert.Equal([1L, 1L, .. Enumerable.Repeat(0L, len - 2)], batch.AttentionMask.AsSpan(len, len).ToArray());
        Assert.Equal(tokenizer.PadId, batch.InputIds[2 * len - 1]);
        Assert.Equal(tokenizer.Encode("sinus").Select(i => (long)i), batch.Row(2));
        var padded = tokenizer.EncodeBatch(["sinus"], maxLength: 16, padToMaxLength: true);
        Assert.Equal(16, padded.SequenceLength);
    }

    [Fact]
    public void EncodeBatch_PadToMultipleOf_RoundsUpTheLength_CappedAtMaxLength_MasksUnchanged()
    {
        var tokenizer = ReportTokenizer.Create(Train());
        string[] reports = ["sinusrhythmus normales ekg", "sinus"];
        var tight = tokenizer.EncodeBatch(reports);
        var rounded = tokenizer.EncodeBatch(reports, padToMultipleOf: 16);
        Assert.True(tight.SequenceLength < 16, "the corpus' reports are short");
        Assert.Equal(16, rounded.SequenceLength);
        Assert.Equal(tight.AttentionMask.Sum(), rounded.AttentionMask.Sum());
        for (int r = 0; r < reports.Length; r++)
        {
            Assert.Equal(tight.Row(r), rounded.Row(r));
            Assert.All(rounded.InputIds.AsSpan(r * 16 + tight.SequenceLength, 16 - tight.SequenceLength).ToArray(), id => Assert.Equal(tokenizer.PadId, id));
        }
        Assert.Equal(12, tokenizer.EncodeBatch(reports, maxLength: 12, padToMultipleOf: 16).SequenceLength);
        Assert.Equal(tight.SequenceLength, tokenizer.EncodeBatch(reports, padToMultipleOf: 1).SequenceLength);
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.EncodeBatch(reports, padToMultipleOf: 0));
    }

    [Fact]
    public void Load_DuplicateTokens_ThrowsListingThem()
    {
        string path = Path.Combine(_dir, "dup.txt");
        File.WriteAllText(path, "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\na\nb\na\n");
        var ex = Assert.Throws<InvalidDataException>(() => ReportTokenizer.Load(path));
        Assert.Contains("'a' (lines 6 and 8)", ex.Message);
    }

    [Fact]
    public void Load_MissingSpecialToken_Throws()
    {
        string path = Path.Combine(_dir, "nospecial.txt");
        File.WriteAllText(path, "[PAD]\n[UNK]\n[CLS]\na\n");
        var ex = Assert.Throws<InvalidDataException>(() => WordPieceVocabulary.Load(path));
        Assert.Contains("[SEP]", ex.Message);
    }

    [Fact]
    public void Load_InvalidUtf8Vocab_ThrowsInvalidData()
    {
        string path = Path.Combine(_dir, "bad.txt");
        File.WriteAllBytes(path, [.. Encoding.ASCII.GetBytes("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n"), 0xFF, 0xFE, 0x0A]);
        Assert.Throws<InvalidDataException>(() => WordPieceVocabulary.Load(path));
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => WordPieceVocabulary.Load(Path.Combine(_dir, "absent.txt")));

    [Fact]
    public void TokenizerConfig_JsonRoundTrip_KeepsValues()
    {
        var config = new TokenizerConfig { MaxLength = 64, StripAccents = true, Normalizer = new() { CaseFold = false } };
        var back = TokenizerConfig.FromJson(config.ToJson());
        Assert.Equal(config, back);
    }
}

public sealed class ReportTokenizerEquivalenceTests
{
    private static readonly ReportTokenizer s_tokenizer = ReportTokenizer.Create(
        new WordPieceTrainer(new WordPieceTrainerOptions { VocabSize = 400, MinFrequency = 1 })
            .Train(["sinusrhythmus normales ekg", "sinus rhythm. normal ecg.", "vänster el-axel", "supraventrikuläre extrasystole(n)"]));

    /// <summary>
    /// ReportTokenizer skips BertTokenizer's own normaliser when ReportNormalizer already produced equivalent text;
    /// the ids must equal those of the full BertTokenizer path for any input.
    /// </summary>
    [FsCheck.Xunit.Property(MaxTest = 500)]
    public bool EncodePieces_AnyNormalizedText_EqualsFullBertTokenizerPath(string? input)
    {
        string normalized = s_tokenizer.Normalizer.Normalize(input);
        var fast = s_tokenizer.EncodePieces(normalized);
        var full = normalized.Length == 0 ? [] : s_tokenizer.Bert.EncodeToIds(normalized, addSpecialTokens: false, considerPreTokenization: true, considerNormalization: true);
        return fast.SequenceEqual(full);
    }

    [Theory]
    [InlineData("Ｓｉｎｕｓ ＲＨＹＴＨＭ ｜ ＥＫＧ")]
    [InlineData("ǅ ǈ Å ﬁ ŉ ẞ Σ ΐ İ")]
    [InlineData("心电图 sinus\u3000rhythm 正常")]
    [InlineData("a\u200Bb\u00ADc\u2028d\u0085e")]
    public void EncodePieces_TrickyUnicode_EqualsFullBertTokenizerPath(string input) =>
        Assert.True(EncodePieces_AnyNormalizedText_EqualsFullBertTokenizerPath(input));
}

public sealed class WordPieceMergeRuleTests
{
    // a: 200, ##b: 100, ##c: 100, q: 2, ##z: 2. Likelihood: qz = 2/(2·2) = 0.5 beats ab = 100/(200·100).
    private static readonly Dictionary<string, long> s_counts = new() { ["ab"] = 100, ["ac"] = 100, ["qz"] = 2 };

    private static string FirstMerge(WordPieceMergeRule rule)
    {
        var options = new WordPieceTrainerOptions { InitialAlphabet = "", MinFrequency = 1, MergeRule = rule, VocabSize = 5 + 10 + 1 };
        var vocab = new WordPieceTrainer(options).TrainFromWordCounts(s_counts);
        return vocab.Tokens[^1];
    }

    [Fact]
    public void TrainFromWordCounts_LikelihoodScore_MergesExclusivePairFirst() =>
        Assert.Equal("qz", FirstMerge(WordPieceMergeRule.LikelihoodScore));

    [Fact]
    public void TrainFromWordCounts_Frequency_MergesMostFrequentPairFirst() =>
        Assert.Equal("ab", FirstMerge(WordPieceMergeRule.Frequency));

    [Fact]
    public void TrainFromWordCounts_MinFrequencyAboveAllPairs_OnlyAlphabet()
    {
        var options = new WordPieceTrainerOptions { InitialAlphabet = "", MinFrequency = 1000, VocabSize = 100 };
        var vocab = new WordPieceTrainer(options).TrainFromWordCounts(s_counts);
        Assert.Equal(5 + 2 * 5, vocab.Count); // specials + {a,b,c,q,z} as start and ## continuation
    }

    [Fact]
    public void Encode_ParallelCallers_SameIdsAsSequential()
    {
        var tokenizer = ReportTokenizer.Create(new WordPieceTrainer(new WordPieceTrainerOptions { VocabSize = 300, MinFrequency = 1 })
            .Train(["sinusrhythmus normales ekg", "sinus rhythm. normal ecg.", "vänster el-axel"]));
        string[] reports = Enumerable.Range(0, 400).Select(i => i % 3 == 0 ? "Sinus rhythm. Normal ECG." : i % 3 == 1 ? "VÄNSTER el-axel sinusrhythmus" : $"report {i} ekg").ToArray();
        var sequential = reports.Select(r => tokenizer.Encode(r)).ToArray();
        var parallel = new int[reports.Length][];
        Parallel.For(0, reports.Length, i => parallel[i] = tokenizer.Encode(reports[i]));
        Assert.Equal(sequential, parallel);
    }
}
