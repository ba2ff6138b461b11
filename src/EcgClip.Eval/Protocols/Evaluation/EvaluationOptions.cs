namespace EcgClip.Eval.Protocols;

/// <summary>Settings of one <see cref="EvaluationRunner"/> run.</summary>
public sealed record EvaluationOptions
{
    /// <summary>The protocol.</summary>
    public EvaluationProtocol Protocol { get; init; } = EvaluationProtocol.LinearProbe;

    /// <summary>The task set: a label set, "age", "sex", a label column or a target column (see <see cref="EvaluationTasks"/>).</summary>
    public string Task { get; init; } = "superdiagnostic";

    /// <summary>Label fractions, subsampling seeds, probe grids and bootstrap (linear probe and fine-tuning).</summary>
    public DataEfficiencyOptions DataEfficiency { get; init; } = new();

    /// <summary>Fine-tuning settings.</summary>
    public FineTuneOptions FineTune { get; init; } = new();

    /// <summary>Embedding batch size, window and reading threads.</summary>
    public EmbeddingOptions Embedding { get; init; } = new();

    /// <summary>At most this many items per split (the first ones, in source order); 0 = all. For quick checks.</summary>
    public int MaxItemsPerSplit { get; init; }

    /// <summary>Prompt templates of zero-shot; "{0}" is the class name.</summary>
    public IReadOnlyList<string> PromptTemplates { get; init; } = ["{0}", "ECG showing {0}", "an electrocardiogram with {0}", "12-lead ECG: {0}"];

    /// <summary>Zero-shot prompts per class name (e.g. German and English phrasings of the PTB-XL superclasses), used instead
    /// of <see cref="PromptTemplates"/> for the classes they name; null = templates for every class.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? ClassPrompts { get; init; }

    /// <summary>The zero-shot prompts of <paramref name="className"/>: its <see cref="ClassPrompts"/>, else the templates filled in.</summary>
    public IReadOnlyList<string> PromptsFor(string className) =>
        ClassPrompts is not null && ClassPrompts.TryGetValue(className, out var prompts) && prompts.Count > 0
            ? prompts
            : PromptTemplates.Select(t => string.Format(System.Globalization.CultureInfo.InvariantCulture, t, className)).ToArray();

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">An invalid setting (named).</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Task);
        ArgumentNullException.ThrowIfNull(DataEfficiency);
        ArgumentNullException.ThrowIfNull(FineTune);
        ArgumentNullException.ThrowIfNull(Embedding);
        DataEfficiency.Validate();
        FineTune.Validate();
        if (Embedding.BatchSize < 1) throw new ArgumentException($"batch size must be ≥ 1, got {Embedding.BatchSize}");
        if (Embedding.Threads < 1) throw new ArgumentException($"threads must be ≥ 1, got {Embedding.Threads}");
        if (!(Embedding.WindowSeconds > 0)) throw new ArgumentException($"window must be positive (s), got {Embedding.WindowSeconds}");
        if (MaxItemsPerSplit < 0) throw new ArgumentException($"max items per split must be ≥ 0, got {MaxItemsPerSplit}");
        if (PromptTemplates is null || PromptTemplates.Count == 0 || PromptTemplates.Any(p => !p.Contains("{0}", StringComparison.Ordinal)))
            throw new ArgumentException("prompt templates must be non-empty and each contain {0}");
    }
}
