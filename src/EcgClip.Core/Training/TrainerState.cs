using System.Text.Json;

namespace EcgClip.Core.Training;

/// <summary>
/// Where a run stands, saved as <c>trainer_state.json</c> in every checkpoint: the next optimisation step, the data
/// position (epoch and next batch), the best validation metric so far and the first loss. Data order, augmentation and
/// dropout are seeded from (seed, epoch, batch, step), so this state is enough to continue bit-exactly.
/// </summary>
public sealed record TrainerState
{
    /// <summary>The file name inside a checkpoint.</summary>
    public const string FileName = "trainer_state.json";

    /// <summary>Optimisation steps completed.</summary>
    public int Step { get; init; }
    /// <summary>Epoch of the next batch.</summary>
    public int Epoch { get; init; }
    /// <summary>Index of the next batch within <see cref="Epoch"/>.</summary>
    public int NextBatch { get; init; }
    /// <summary>Total steps of the run.</summary>
    public int TotalSteps { get; init; }
    /// <summary>Run seed.</summary>
    public long Seed { get; init; }
    /// <summary>Best value of the selection metric so far (NaN when none).</summary>
    public double BestMetric { get; init; } = double.NaN;
    /// <summary>Step of the best validation.</summary>
    public int BestStep { get; init; } = -1;
    /// <summary>The validation metrics of the best step (so a resumed run still reports them).</summary>
    public IReadOnlyDictionary<string, double>? BestMetrics { get; init; }
    /// <summary>Loss of the first optimisation step.</summary>
    public double LossFirst { get; init; } = double.NaN;
    /// <summary>Whether the run finished.</summary>
    public bool Complete { get; init; }

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes the state into <paramref name="directory"/>.</summary>
    public void Save(string directory) => File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, s_json));

    /// <summary>Reads the state of a checkpoint folder.</summary>
    /// <exception cref="InvalidDataException">The file is missing or malformed (named).</exception>
    public static TrainerState Load(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: trainer state missing from the checkpoint");
        try
        {
            return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), s_json) ?? throw new InvalidDataException($"{path}: empty trainer state");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: malformed trainer state: {ex.Message}", ex);
        }
    }
}
