using EcgClip.Core.Abstractions;
using EcgClip.Core.Native;
using EcgClip.Text.Encoders.Bert;
using EcgClip.Text.Encoders.Transformer;
using EcgClip.Text.Tokenization;

namespace EcgClip.Text.Hosting;

/// <summary>
/// Creates text encoders of one kind. Meant to be registered as a keyed singleton under <see cref="Name"/>
/// (<c>"transformer"</c>, <c>"bert"</c>); factories, not modules, are registered because modules own native memory.
/// </summary>
public interface ITextEncoderFactory
{
    /// <summary>The encoder name (the DI key).</summary>
    string Name { get; }

    /// <summary>Creates a new encoder described by <paramref name="config"/>; the caller disposes it.</summary>
    ITextEncoder Create(TextTowerConfig config);
}

/// <summary>Builds <see cref="TransformerTextEncoder"/>s; the vocabulary size defaults to the tokenizer vocabulary's.</summary>
public sealed class TransformerTextEncoderFactory : ITextEncoderFactory
{
    /// <summary>The DI key, <c>"transformer"</c>.</summary>
    public const string Key = "transformer";

    /// <inheritdoc/>
    public string Name => Key;

    /// <inheritdoc/>
    public ITextEncoder Create(TextTowerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        TorchNativeLoader.EnsureLoaded();
        var architecture = config.Transformer ?? new TransformerTextEncoderConfig();
        if (config.VocabPath is not null)
        {
            int vocabSize = WordPieceVocabulary.Load(config.VocabPath).Count;
            if (config.Transformer is null) architecture = architecture with { VocabSize = vocabSize };
            else if (architecture.VocabSize < vocabSize)
                throw new ArgumentException($"transformer VocabSize {architecture.VocabSize} is smaller than the {vocabSize} entries of {config.VocabPath}");
        }
        if (architecture.MaxLength < config.Tokenizer.MaxLength)
            throw new ArgumentException($"transformer MaxLength {architecture.MaxLength} is shorter than the tokenizer's MaxLength {config.Tokenizer.MaxLength}");
        return new TransformerTextEncoder(architecture);
    }
}

/// <summary>Loads <see cref="BertTextEncoder"/>s from the checkpoint folder named in the config.</summary>
public sealed class BertTextEncoderFactory : ITextEncoderFactory
{
    /// <summary>The DI key, <c>"bert"</c>.</summary>
    public const string Key = "bert";

    /// <inheritdoc/>
    public string Name => Key;

    /// <inheritdoc/>
    public ITextEncoder Create(TextTowerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        TorchNativeLoader.EnsureLoaded();
        if (string.IsNullOrEmpty(config.BertCheckpoint))
            throw new ArgumentException("the bert text encoder needs BertCheckpoint (a folder with config.json and model.safetensors)");
        return BertTextEncoder.FromPretrained(config.BertCheckpoint, config.Bert);
    }
}
