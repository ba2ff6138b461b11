using System.CommandLine;
using EcgClip.Cli.Infrastructure;
using EcgClip.Text.Tokenization;

namespace EcgClip.Cli.Commands;

/// <summary><c>ecgclip tokenize</c>: normalises and tokenises one report text with a vocab.txt.</summary>
internal sealed class TokenizeCommand : ICommandFactory
{
    public Command Create()
    {
        var vocab = new Option<FileInfo>("--vocab") { Description = "WordPiece vocab.txt", Required = true };
        var text = new Option<string>("--text") { Description = "Report text", Required = true };
        var maxLength = new Option<int>("--max-length") { Description = "Longest sequence in tokens, [CLS] and [SEP] included", DefaultValueFactory = _ => 128 };
        var json = new Option<bool>("--json") { Description = "Print one JSON line" };
        var stripAccents = new Option<bool>("--strip-accents") { Description = "Strip accents before WordPiece (uncased published BERT vocabularies); default keeps umlauts" };
        var cased = new Option<bool>("--cased") { Description = "Keep case (cased published BERT vocabularies); default lower-cases" };

        var cmd = new Command("tokenize", "Normalise and tokenise a report with a WordPiece vocab.txt (BertTokenizer)");
        foreach (var o in new Option[] { vocab, text, maxLength, json, stripAccents, cased }) cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            bool asJson = pr.GetValue(json);
            return CommandRunner.Run(asJson, () =>
            {
                bool lower = !pr.GetValue(cased);
                var tokenizer = ReportTokenizer.Load(pr.GetValue(vocab)!.FullName, new TokenizerConfig
                {
                    MaxLength = pr.GetValue(maxLength),
                    LowerCase = lower,
                    StripAccents = pr.GetValue(stripAccents),
                    Normalizer = new EcgClip.Text.Normalization.ReportNormalizerConfig { CaseFold = lower },
                });
                string input = pr.GetValue(text) ?? "";
                string normalized = tokenizer.PrepareText(input);
                int[] ids = tokenizer.Encode(input);
                var tokens = ids.Select(id => tokenizer.Vocabulary.Tokens[id]).ToArray();
                int unknown = ids.Count(id => id == tokenizer.UnknownId);
                if (asJson)
                {
                    CliJson.WriteLine(new { normalized, ids, tokens, attention_mask = ids.Select(_ => 1).ToArray(), length = ids.Length, unknown_tokens = unknown });
                }
                else
                {
                    Console.WriteLine($"normalized: {normalized}");
                    Console.WriteLine($"tokens:     {string.Join(' ', tokens)}");
                    Console.WriteLine($"ids:        {string.Join(' ', ids)}");
                }
                return ExitCodes.Ok;
            });
        });
        return cmd;
    }
}
