namespace EcgClip.Eval.Protocols;

/// <summary>Zero-shot or retrieval was asked of a model without a text tower (e.g. random initialisation); exit 2 in the CLI.</summary>
public sealed class TextTowerRequiredException(EvaluationProtocol protocol, string model)
    : NotSupportedException($"--protocol {EvaluationProtocols.ToName(protocol)} needs a text tower, and model '{model}' has none " +
                            "(random initialisation is an ECG encoder only); pass a pretrained --checkpoint folder")
{
    /// <summary>The protocol asked for.</summary>
    public EvaluationProtocol Protocol { get; } = protocol;
}
