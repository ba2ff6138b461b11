using EcgClip.Core.Abstractions;
using static TorchSharp.torch;

namespace EcgClip.Core.Models;

/// <summary>
/// Turns report texts into padded token tensors for a text tower, and knows the report normalisation of the model.
/// Thread-safe.
/// </summary>
public interface IReportBatcher
{
    /// <summary>The normalised form of a report (the key of the unique-text retrieval rule and of shared positives).</summary>
    string Normalize(string? report);

    /// <summary>Token ids and attention mask <c>[batch, tokens]</c> int64 on the CPU; the caller owns them.</summary>
    (Tensor InputIds, Tensor AttentionMask) Tokenize(IReadOnlyList<string> reports);

    /// <summary>Writes the vocabulary (under the spec's relative name) and tokenizer/normaliser configuration into <paramref name="directory"/>.</summary>
    void SaveTo(string directory);
}

/// <summary>A built text tower: the encoder module and the batcher that feeds it.</summary>
/// <param name="Encoder">The text encoder (its module becomes part of the <see cref="EcgClipModel"/>).</param>
/// <param name="Batcher">Tokenisation and normalisation matching the encoder's vocabulary.</param>
public sealed record TextTower(ITextEncoder Encoder, IReportBatcher Batcher);

/// <summary>
/// Builds text towers from a <see cref="TextTowerSpec"/>. Implemented by EcgClip.Text (registered by
/// <c>AddEcgClipText()</c>), so Core can build whole models without referencing the text package.
/// </summary>
public interface ITextTowerBuilder
{
    /// <summary>
    /// Builds a fresh tower for training: trains the vocabulary on <paramref name="trainingReports"/> (the training
    /// split only), then creates the encoder with <paramref name="outputDim"/> outputs.
    /// </summary>
    /// <exception cref="ArgumentException">The spec's encoder kind is unknown or its options are invalid.</exception>
    TextTower Create(TextTowerSpec spec, int outputDim, IReadOnlyList<string> trainingReports);

    /// <summary>Rebuilds a tower from a checkpoint folder (vocabulary and tokenizer files written by <see cref="IReportBatcher.SaveTo"/>); weights are loaded by the caller.</summary>
    /// <exception cref="InvalidDataException">A file is missing or malformed (named).</exception>
    TextTower Load(TextTowerSpec spec, int outputDim, string checkpointDirectory);
}
