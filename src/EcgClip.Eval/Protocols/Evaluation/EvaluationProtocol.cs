namespace EcgClip.Eval.Protocols;

/// <summary>How an encoder is turned into test scores.</summary>
public enum EvaluationProtocol
{
    /// <summary>Frozen encoder (eval mode), cached embeddings, linear head with its L2 strength chosen on validation.</summary>
    LinearProbe,
    /// <summary>Encoder + linear head trained end to end (AdamW), early stopping on validation.</summary>
    FineTune,
    /// <summary>Class prompts embedded by the text tower, cosine scores (no training).</summary>
    ZeroShot,
    /// <summary>ECG ↔ report retrieval on the test split (unique-text rule), R@1/5/10 and median rank.</summary>
    Retrieval,
}

/// <summary>Parsing and printing of <see cref="EvaluationProtocol"/> names.</summary>
public static class EvaluationProtocols
{
    /// <summary>The accepted names, in enum order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["linear-probe", "finetune", "zero-shot", "retrieval"];

    /// <summary>The kebab-case name, e.g. "linear-probe".</summary>
    public static string ToName(EvaluationProtocol protocol) => Names[(int)protocol];

    /// <summary>Parses a name (case-insensitive; "linear", "fine-tune" and "zeroshot" are accepted too).</summary>
    /// <exception cref="ArgumentException">An unknown name; the message lists the known ones.</exception>
    public static EvaluationProtocol Parse(string name) => name?.Trim().ToLowerInvariant() switch
    {
        "linear-probe" or "linear" or "linearprobe" => EvaluationProtocol.LinearProbe,
        "finetune" or "fine-tune" => EvaluationProtocol.FineTune,
        "zero-shot" or "zeroshot" => EvaluationProtocol.ZeroShot,
        "retrieval" => EvaluationProtocol.Retrieval,
        _ => throw new ArgumentException($"--protocol must be {string.Join(", ", Names)}; got '{name}'"),
    };
}
