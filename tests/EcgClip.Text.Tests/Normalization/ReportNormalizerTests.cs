using EcgClip.Text.Normalization;
using FsCheck.Xunit;

namespace EcgClip.Text.Tests.Normalization;

public sealed class ReportNormalizerTests
{
    private readonly ReportNormalizer _normalizer = new();

    [Theory]
    [InlineData("Sinus  Rhythm.\t Normal   ECG.", "sinus rhythm. normal ecg.")]
    [InlineData("supraventrikulÄre extrasystole(n)", "supraventrikuläre extrasystole(n)")]
    [InlineData("ﬁbrillation Ｖ５ ½", "fibrillation v5 1⁄2")]
    [InlineData("sinusrhythmus normales ekg 4.46                          unbestÄtigter bericht", "sinusrhythmus normales ekg")]
    [InlineData("sinus rhythm. normal ecg. Edit: NORM 100, (NORM 100)", "sinus rhythm. normal ecg.")]
    [InlineData("Sinus rhythm. Unconfirmed report. Edited by Dr. X", "sinus rhythm. x")]
    [InlineData("sinus rhythm. LVH. sinus rhythm.", "sinus rhythm. left ventricular hypertrophy.")]
    public void Normalize_KnownReport_ReturnsExpected(string input, string expected) =>
        Assert.Equal(expected, _normalizer.Normalize(input));

    [Fact]
    public void Normalize_RepeatedStatementWithOtherSpacing_IsDropped() =>
        Assert.Equal("sinus rhythm. t waves flat. st normal", _normalizer.Normalize("sinus rhythm. t  waves flat.\nsinus\trhythm . t waves flat. st normal"));

    [Fact]
    public void Normalize_DecomposedUmlaut_ComposesToPrecomposed() =>
        Assert.Equal("für", _normalizer.Normalize("fu\u0308r"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \n\t ")]
    [InlineData("unbestätigter bericht")]
    public void Normalize_EmptyOrBoilerplateOnly_ReturnsEmpty(string? input) =>
        Assert.Equal("", _normalizer.Normalize(input));

    [Fact]
    public void Normalize_InvalidCharacters_BecomeSpaces()
    {
        // U+FFFD is what invalid UTF-8 decodes to; lone surrogates, NUL, BOM and zero-width spaces are dropped too.
        Assert.Equal("sinus rhythm", _normalizer.Normalize("sinus\uFFFDrhythm"));
        Assert.Equal("sinus rhythm", _normalizer.Normalize("sinus\uD800rhythm\uDC00"));
        Assert.Equal("sinus rhythm", _normalizer.Normalize("\uFEFFsinus\u0000\u200Brhythm"));
    }

    [Fact]
    public void Normalize_HundredKilobyteReport_TruncatesToMaxInputChars()
    {
        string huge = string.Concat(Enumerable.Repeat("sinus rhythm ", 100_000 / 13 + 1));
        string result = _normalizer.Normalize(huge);
        Assert.True(result.Length <= _normalizer.Config.MaxInputChars);
        Assert.StartsWith("sinus rhythm sinus", result);
    }

    [Fact]
    public void Normalize_DeduplicationDisabled_KeepsRepeats()
    {
        var n = new ReportNormalizer(new ReportNormalizerConfig { DeduplicateStatements = false });
        Assert.Equal("a. a.", n.Normalize("a. a."));
    }

    [Fact]
    public void Config_JsonRoundTrip_IsEqual()
    {
        var config = new ReportNormalizerConfig
        {
            CaseFold = false,
            BoilerplatePatterns = ["foo"],
            Abbreviations = new Dictionary<string, string> { ["Mi"] = "myocardial infarction" },
            MaxInputChars = 77,
        };
        var back = ReportNormalizerConfig.FromJson(config.ToJson());
        Assert.Equal(config, back);
        Assert.Equal("myocardial infarction", new ReportNormalizer(back).Normalize("Mi"));
    }

    [Fact]
    public void Constructor_InvalidPattern_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => new ReportNormalizer(new ReportNormalizerConfig { BoilerplatePatterns = ["(unclosed"] }));

    [Property(MaxTest = 300)]
    public bool Normalize_AnyString_IsTrimmedLowerCaseWithSingleSpaces(string? input)
    {
        string s = _normalizer.Normalize(input);
        return s == s.Trim() && !s.Contains("  ") && !s.Any(c => c is >= 'A' and <= 'Z') && !s.Contains('\uFFFD');
    }
}

public sealed class UnicodeCompatibilityTests
{
    /// <summary>Written by Fixtures/Unicode/make_nfkc_cases.py from Python's unicodedata.</summary>
    private static readonly IReadOnlyList<(string Input, string Nfkc)> Cases = System.Text.Json.JsonDocument
        .Parse(File.ReadAllText(EcgClip.Testing.TestPaths.Repo("tests", "EcgClip.Text.Tests", "Fixtures", "Unicode", "nfkc_cases.json")))
        .RootElement.GetProperty("cases").EnumerateArray()
        .Select(c => (c.GetProperty("input").GetString()!, c.GetProperty("nfkc").GetString()!)).ToArray();

    [Fact]
    public void Normalize_PythonUnicodedataCases_AllMatch()
    {
        var failures = Cases.Where(c => UnicodeCompatibility.Normalize(c.Input) != c.Nfkc)
            .Select(c => $"'{c.Input}' -> '{UnicodeCompatibility.Normalize(c.Input)}', expected '{c.Nfkc}'").Take(5).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(Cases.Count >= 400);
    }

    [Fact]
    public void Normalize_AsciiText_ReturnsSameInstance()
    {
        const string text = "sinus rhythm. normal ecg.";
        Assert.Same(text, UnicodeCompatibility.Normalize(text));
    }
}

public sealed class StripAccentsTests
{
    [Theory]
    [InlineData("für ångström café ǖ ñ", "fur angstrom cafe u n")]
    [InlineData("sinus rhythm", "sinus rhythm")]
    [InlineData("u\u0308ber", "uber")]
    public void StripAccents_AccentedLatin_RemovesMarks(string input, string expected) =>
        Assert.Equal(expected, UnicodeCompatibility.StripAccents(input));

    [Fact]
    public void Encode_StripAccentsConfig_UsesUnaccentedPieces()
    {
        var vocab = new EcgClip.Text.Tokenization.WordPieceVocabulary(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "fur", "f", "##u", "##r"]);
        var tokenizer = EcgClip.Text.Tokenization.ReportTokenizer.Create(vocab, new() { StripAccents = true });
        Assert.Equal(["[CLS]", "fur", "[SEP]"], tokenizer.EncodeToTokens("FÜR"));
    }
}
