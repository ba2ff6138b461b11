using EcgClip.Testing;
using EcgClip.Text.Data;
using EcgClip.Text.Tokenization;
using Xunit.Abstractions;

namespace EcgClip.Text.Tests.Tokenization;

public sealed class PtbXlVocabularyTests(ITestOutputHelper output)
{
    [Fact]
    public void Train_PtbXlFolds1To8Size2000_UnknownRateOnFolds9And10BelowOnePercent()
    {
        string csv = TestPaths.PtbXl("ptbxl_database.csv");
        var train = ReportSource.Read(csv, folds: ReportSource.ParseFolds("1-8"));
        var heldOut = ReportSource.Read(csv, folds: ReportSource.ParseFolds("9-10"));
        var vocab = new WordPieceTrainer(new WordPieceTrainerOptions { VocabSize = 2000 }).Train(train);
        string path = Path.Combine(Path.GetTempPath(), $"ecgclip-ptbxl-vocab-{Guid.NewGuid():N}.txt");
        try
        {
            vocab.Save(path);
            var tokenizer = ReportTokenizer.Load(path); // goes through Microsoft.ML.Tokenizers' BertTokenizer.Create
            var stats = tokenizer.MeasureUnknownRate(heldOut);
            output.WriteLine($"train reports {train.Count}, held-out {heldOut.Count}, vocab {vocab.Count}, tokens {stats.Tokens}, [UNK] {stats.UnknownTokens}, rate {stats.UnknownRate:P4}");
            Assert.Equal(2000, vocab.Count);
            Assert.True(stats.Tokens > 1000);
            Assert.True(stats.UnknownRate < 0.01, $"unknown rate {stats.UnknownRate:P3}");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
