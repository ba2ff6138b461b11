namespace EcgClip.Eval.Protocols;

/// <summary>
/// Settings of <see cref="ReproductionRunner"/>: pretrain ECGCLIP (<c>clip</c>) and the MERL-objective baseline
/// (<c>merl</c>) on the same backbone, data, steps and seed, then linear-probe both and random initialisation on the
/// same splits, label fractions and seeds.
/// </summary>
public sealed record ReproductionOptions
{
    /// <summary>Default pretraining epochs: two 4-epoch ResNet-18 runs (≈ 184 steps of 32 each) plus the probes fit in
    /// 30 minutes on 2 quiet cores on the 1,999-record PTB-XL set (a 10-epoch run takes ≈ 12–13 min).</summary>
    public const int DefaultEpochs = 4;

    /// <summary>Data: "embedded" (default) or "ptbxl:&lt;dir&gt;"; PTB-XL folds 1–8 train / 9 validation / 10 test.</summary>
    public string Data { get; init; } = "embedded";

    /// <summary>Output folder: pretrain-clip/, pretrain-merl/, one folder per task set, results.json/csv/md and report.md.</summary>
    public string OutputDirectory { get; init; } = "";

    /// <summary>ECG backbone of both pretrainings and of the random initialisation.</summary>
    public string Backbone { get; init; } = "resnet18";

    /// <summary>Pretraining epochs per objective.</summary>
    public int Epochs { get; init; } = DefaultEpochs;

    /// <summary>Pretraining optimisation steps per objective; overrides <see cref="Epochs"/> when set.</summary>
    public int? Steps { get; init; }

    /// <summary>Pretraining batch size (pairs).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Seed of both pretrainings and of the random initialisation.</summary>
    public long Seed { get; init; }

    /// <summary>Subsampling seeds 0..N-1 of each label fraction below 1.</summary>
    public int Seeds { get; init; } = 3;

    /// <summary>Bootstrap resamples of the intervals and paired comparisons.</summary>
    public int Bootstrap { get; init; } = 1000;

    /// <summary>Threads for libtorch (set by the caller), record reading, probes and bootstrap.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Label fractions of the probes.</summary>
    public IReadOnlyList<double> Fractions { get; init; } = [0.1, 1.0];

    /// <summary>Task sets probed, in order: PTB-XL label sets and "age" (regression).</summary>
    public IReadOnlyList<string> Tasks { get; init; } = ["superdiagnostic", "age"];

    /// <summary>At most this many items per split (the first ones), for smoke runs; 0 = all.</summary>
    public int Limit { get; init; }

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">An invalid setting, named.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Data);
        if (string.IsNullOrWhiteSpace(OutputDirectory)) throw new ArgumentException("an output folder is required (--out)");
        if (Epochs < 1) throw new ArgumentException($"epochs must be at least 1, got {Epochs}");
        if (Steps is < 1) throw new ArgumentException($"steps must be at least 1, got {Steps}");
        if (BatchSize < 2) throw new ArgumentException($"batch size must be at least 2, got {BatchSize}");
        if (Seeds < 1) throw new ArgumentException($"seeds must be at least 1, got {Seeds}");
        if (Bootstrap < 0) throw new ArgumentException($"bootstrap must be ≥ 0, got {Bootstrap}");
        if (Threads < 1) throw new ArgumentException($"threads must be at least 1, got {Threads}");
        if (Limit < 0) throw new ArgumentException($"limit must be ≥ 0, got {Limit}");
        if (Fractions.Count == 0 || Fractions.Any(f => !(f > 0 && f <= 1))) throw new ArgumentException("fractions must be in (0, 1]");
        if (Tasks.Count == 0) throw new ArgumentException("name at least one task set");
        var known = new[] { "superdiagnostic", "subdiagnostic", "form", "rhythm", "all", "age", "sex" };
        foreach (var t in Tasks)
            if (!known.Contains(t, StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException($"unknown task set '{t}'; use {string.Join(", ", known)}");
    }
}
