using System.Diagnostics;
using System.Text.Json;
using EcgClip.Testing;

namespace EcgClip.Cli.Tests.Text;

/// <summary>End-to-end tests of <c>ecgclip vocab</c> and <c>ecgclip tokenize</c>, run as a child process.</summary>
public sealed class TextCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ecgclip-cli-text-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Stdout, string Stderr) Run(params string[] args) => CliProcess.Run(TimeSpan.FromSeconds(60), args);

    private string WriteCorpus()
    {
        string csv = Path.Combine(_dir, "reports.csv");
        File.WriteAllText(csv,
            "ecg_id,report,strat_fold\n" +
            "1,sinusrhythmus normales ekg,1\n" +
            "2,\"sinus rhythm. normal ecg, no st changes.\",2\n" +
            "3,\"supraventrikulÄre extrasystole(n)\nsinusrhythmus\",3\n" +
            "4,qqqq zzzz,9\n");
        return csv;
    }

    [Fact]
    public void Vocab_TrainThenMeasure_PrintsSizeAndUnknownRate()
    {
        string csv = WriteCorpus();
        string vocab = Path.Combine(_dir, "vocab.txt");
        var train = Run("vocab", "--reports", csv, "--folds", "1-8", "--size", "250", "--out", vocab, "--json");
        Assert.True(train.Code == 0, train.Stderr);
        using var trained = JsonDocument.Parse(train.Stdout);
        Assert.InRange(trained.RootElement.GetProperty("vocab_size").GetInt32(), 170, 250); // specials + alphabet ≈ 169, then merges
        Assert.Equal(0.0, trained.RootElement.GetProperty("unknown_rate").GetDouble());
        Assert.Equal(3, trained.RootElement.GetProperty("reports").GetInt32());
        Assert.Equal("[PAD]", File.ReadLines(vocab).First());

        var measure = Run("vocab", "--reports", csv, "--column", "report", "--vocab", vocab, "--json");
        Assert.True(measure.Code == 0, measure.Stderr);
        using var measured = JsonDocument.Parse(measure.Stdout);
        Assert.Equal(4, measured.RootElement.GetProperty("reports").GetInt32());
        Assert.InRange(measured.RootElement.GetProperty("unknown_rate").GetDouble(), 0.0, 1.0);
    }

    [Fact]
    public void Vocab_PtbXlFolds1To8Size2000_UnknownRateOnFolds9And10BelowOnePercent()
    {
        string csv = TestPaths.PtbXl("ptbxl_database.csv");
        string vocab = Path.Combine(_dir, "ptbxl-vocab.txt");
        var train = Run("vocab", "--reports", csv, "--folds", "1-8", "--size", "2000", "--out", vocab, "--json");
        Assert.True(train.Code == 0, train.Stderr);
        using var trained = JsonDocument.Parse(train.Stdout);
        Assert.Equal(2000, trained.RootElement.GetProperty("vocab_size").GetInt32());

        var measure = Run("vocab", "--reports", csv, "--folds", "9-10", "--vocab", vocab, "--json");
        Assert.True(measure.Code == 0, measure.Stderr);
        using var measured = JsonDocument.Parse(measure.Stdout);
        Assert.Equal(500, measured.RootElement.GetProperty("reports").GetInt32());
        Assert.True(measured.RootElement.GetProperty("unknown_rate").GetDouble() < 0.01, measure.Stdout);
    }

    [Fact]
    public void Tokenize_TrainedVocab_PrintsIdsAndTokens()
    {
        string vocab = Path.Combine(_dir, "vocab.txt");
        Assert.Equal(0, Run("vocab", "--reports", WriteCorpus(), "--size", "200", "--out", vocab).Code);
        var result = Run("tokenize", "--vocab", vocab, "--text", "Sinusrhythmus  NORMALES EKG", "--json");
        Assert.True(result.Code == 0, result.Stderr);
        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.Equal("sinusrhythmus normales ekg", doc.RootElement.GetProperty("normalized").GetString());
        var tokens = doc.RootElement.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()).ToArray();
        Assert.Equal("[CLS]", tokens[0]);
        Assert.Equal("[SEP]", tokens[^1]);
        Assert.Equal(0, doc.RootElement.GetProperty("unknown_tokens").GetInt32());
    }

    [Theory]
    [InlineData(false, "f ##ü ##r")]
    [InlineData(true, "f ##u ##r")]
    public void Tokenize_StripAccentsFlag_MatchesVocabularyConvention(bool strip, string expected)
    {
        string vocab = TestPaths.Repo("tests", "EcgClip.Text.Tests", "Fixtures", "TinyBert", "vocab.txt");
        var args = new List<string> { "tokenize", "--vocab", vocab, "--text", "FÜR", "--json" };
        if (strip) args.Add("--strip-accents");
        var result = Run([.. args]);
        Assert.True(result.Code == 0, result.Stderr);
        using var doc = JsonDocument.Parse(result.Stdout);
        var tokens = doc.RootElement.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()).ToArray();
        Assert.Equal(expected, string.Join(' ', tokens[1..^1]));
    }

    [Fact]
    public void Vocab_MissingReportsFile_ExitsWithBadInput()
    {
        var result = Run("vocab", "--reports", Path.Combine(_dir, "absent.csv"), "--out", Path.Combine(_dir, "v.txt"), "--json");
        Assert.Equal(2, result.Code);
        Assert.Contains("bad_input", result.Stdout);
    }

    [Fact]
    public void Tokenize_VocabWithDuplicates_ExitsWithBadInputNamingToken()
    {
        string vocab = Path.Combine(_dir, "dup.txt");
        File.WriteAllText(vocab, "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nekg\nekg\n");
        var result = Run("tokenize", "--vocab", vocab, "--text", "ekg", "--json");
        Assert.Equal(2, result.Code);
        Assert.Contains("'ekg'", result.Stdout);
    }
}
