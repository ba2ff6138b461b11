using System.CommandLine;
using EcgClip.Cli.Infrastructure;
using EcgClip.Text.Data;
using EcgClip.Text.Tokenization;

namespace EcgClip.Cli.Commands;

/// <summary>
/// <c>ecgclip vocab</c>: trains a WordPiece vocabulary on report texts (<c>--out</c>), or measures the unknown-token
/// rate of reports under an existing one (<c>--vocab</c>).
/// </summary>
internal sealed class VocabCommand : ICommandFactory
{
    public Command Create()
    {
        var reports = new Option<FileInfo>("--reports") { Description = "Reports: a CSV (with a header; see --column, --folds) or a text file with one report per line", Required = true };
        var column = new Option<string>("--column") { Description = "CSV column holding the report text", DefaultValueFactory = _ => "report" };
        var folds = new Option<string?>("--folds") { Description = "Keep only CSV rows whose strat_fold is in this list, e.g. 1-8 or 9,10" };
        var size = new Option<int>("--size") { Description = "Vocabulary size to train (special tokens and alphabet included)", DefaultValueFactory = _ => 4000 };
        var minFrequency = new Option<int>("--min-frequency") { Description = "Smallest pair count that may be merged", DefaultValueFactory = _ => 2 };
        var output = new Option<FileInfo?>("--out") { Description = "Train a vocabulary and write it here (vocab.txt)" };
        var vocab = new Option<FileInfo?>("--vocab") { Description = "Measure the unknown-token rate under this existing vocab.txt instead of training" };
        var json = new Option<bool>("--json") { Description = "Print one JSON line" };
        var stripAccents = new Option<bool>("--strip-accents") { Description = "Strip accents before WordPiece (uncased published BERT vocabularies); default keeps umlauts" };
        var cased = new Option<bool>("--cased") { Description = "Keep case (cased published BERT vocabularies); default lower-cases" };

        var cmd = new Command("vocab", "Train a WordPiece vocab.txt on report texts, or measure the [UNK] rate of reports under an existing one");
        foreach (var o in new Option[] { reports, column, folds, size, minFrequency, output, vocab, json, stripAccents, cased }) cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            bool asJson = pr.GetValue(json);
            return CommandRunner.Run(asJson, () =>
            {
                var outFile = pr.GetValue(output);
                var vocabFile = pr.GetValue(vocab);
                if ((outFile is null) == (vocabFile is null))
                    throw new ArgumentException("give exactly one of --out (train) or --vocab (measure)");
                var foldText = pr.GetValue(folds);
                var foldSet = foldText is null ? null : ReportSource.ParseFolds(foldText);
                var texts = ReportSource.Read(pr.GetValue(reports)!.FullName, pr.GetValue(column) ?? "report", foldSet);

                bool lower = !pr.GetValue(cased);
                var tokenizerConfig = new TokenizerConfig
                {
                    LowerCase = lower,
                    StripAccents = pr.GetValue(stripAccents),
                    Normalizer = new EcgClip.Text.Normalization.ReportNormalizerConfig { CaseFold = lower },
                };
                ReportTokenizer tokenizer;
                string mode;
                if (outFile is not null)
                {
                    var trainer = new WordPieceTrainer(new WordPieceTrainerOptions { VocabSize = pr.GetValue(size), MinFrequency = pr.GetValue(minFrequency) }, tokenizerConfig);
                    var trained = trainer.Train(texts);
                    trained.Save(outFile.FullName);
                    tokenizer = ReportTokenizer.Load(outFile.FullName, tokenizerConfig);
                    mode = "train";
                }
                else
                {
                    tokenizer = ReportTokenizer.Load(vocabFile!.FullName, tokenizerConfig);
                    mode = "measure";
                }
                var stats = tokenizer.MeasureUnknownRate(texts);
                if (asJson)
                {
                    CliJson.WriteLine(new
                    {
                        mode,
                        vocab = (outFile ?? vocabFile)!.FullName,
                        vocab_size = tokenizer.VocabSize,
                        reports = stats.Reports,
                        tokens = stats.Tokens,
                        unknown_tokens = stats.UnknownTokens,
                        unknown_rate = stats.UnknownRate,
                    });
                }
                else
                {
                    Console.WriteLine($"{mode}: {(outFile ?? vocabFile)!.FullName}");
                    Console.WriteLine($"vocab_size    {tokenizer.VocabSize}");
                    Console.WriteLine($"reports       {stats.Reports}");
                    Console.WriteLine($"tokens        {stats.Tokens}");
                    Console.WriteLine($"unknown_rate  {stats.UnknownRate:P3} ({stats.UnknownTokens} [UNK])");
                }
                return ExitCodes.Ok;
            });
        });
        return cmd;
    }
}
