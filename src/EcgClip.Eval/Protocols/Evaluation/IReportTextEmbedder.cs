namespace EcgClip.Eval.Protocols;

/// <summary>
/// A model's text tower with its tokenizer, as evaluation needs it: report or prompt strings in, one embedding row
/// per string out (in the joint space of the ECG encoder). Built by whoever loads a checkpoint (the text package
/// implements it over its tokenizer and <c>ITextEncoder</c>); zero-shot and retrieval need one.
/// </summary>
public interface IReportTextEmbedder : IDisposable
{
    /// <summary>Embedding width (equal to the ECG encoder's for a contrastive model).</summary>
    int OutputDim { get; }

    /// <summary>The report normaliser used in pretraining, for the unique-text rule of retrieval.</summary>
    string Normalize(string report);

    /// <summary>Embeds <paramref name="texts"/> in evaluation mode, without autograd.</summary>
    /// <returns>Embeddings <c>[texts, OutputDim]</c>, row order = input order.</returns>
    FeatureMatrix Embed(IReadOnlyList<string> texts);
}
