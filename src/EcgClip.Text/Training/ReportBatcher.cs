using EcgClip.Core.Models;
using EcgClip.Text.Tokenization;
using static TorchSharp.torch;

namespace EcgClip.Text.Training;

/// <summary>
/// <see cref="IReportBatcher"/> over a <see cref="ReportTokenizer"/>: the report normaliser, WordPiece tokenisation,
/// padding to the longest report of the batch. Writes <c>vocab.txt</c> (or the spec's name) and <c>tokenizer.json</c>
/// (tokenizer + normaliser configuration) into checkpoints.
/// </summary>
public sealed class ReportBatcher : IReportBatcher
{
    /// <summary>File name of the tokenizer configuration (normaliser included) in a checkpoint.</summary>
    public const string TokenizerFileName = "tokenizer.json";

    private readonly string _vocabularyFileName;

    /// <summary>Wraps <paramref name="tokenizer"/>; its vocabulary is saved as <paramref name="vocabularyFileName"/>.</summary>
    public ReportBatcher(ReportTokenizer tokenizer, string vocabularyFileName = "vocab.txt")
    {
        Tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        _vocabularyFileName = vocabularyFileName;
    }

    /// <summary>The tokenizer.</summary>
    public ReportTokenizer Tokenizer { get; }

    /// <inheritdoc />
    public string Normalize(string? report) => Tokenizer.PrepareText(report);

    /// <inheritdoc />
    public (Tensor InputIds, Tensor AttentionMask) Tokenize(IReadOnlyList<string> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        return Tokenizer.EncodeBatch(reports).ToTensors();
    }

    /// <inheritdoc />
    public void SaveTo(string directory)
    {
        Directory.CreateDirectory(directory);
        Tokenizer.Vocabulary.Save(Path.Combine(directory, _vocabularyFileName));
        File.WriteAllText(Path.Combine(directory, TokenizerFileName), Tokenizer.Config.ToJson());
    }
}
