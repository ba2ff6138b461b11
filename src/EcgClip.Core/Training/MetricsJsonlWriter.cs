using System.Text.Json;
using System.Text.Json.Nodes;

namespace EcgClip.Core.Training;

/// <summary>
/// Appends one JSON object per line to <c>&lt;run&gt;/metrics.jsonl</c>: <c>"kind":"step"</c> rows (step, epoch, loss,
/// lr, terms, ecg_per_s) and <c>"kind":"validation"</c> rows (retrieval R@1/5/10 both directions, chance, zero-shot
/// AUROC) with the keys that Eval's <c>TrainingCurvesPlot</c> reads. Each line is flushed as written. Not thread-safe.
/// </summary>
public sealed class MetricsJsonlWriter : IDisposable
{
    /// <summary>The file name inside the run folder.</summary>
    public const string FileName = "metrics.jsonl";

    private readonly StreamWriter _writer;

    /// <summary>Opens (appending) <c>metrics.jsonl</c> in <paramref name="runDirectory"/>.</summary>
    public MetricsJsonlWriter(string runDirectory)
    {
        Directory.CreateDirectory(runDirectory);
        Path = System.IO.Path.Combine(runDirectory, FileName);
        _writer = new StreamWriter(new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    /// <summary>The file written.</summary>
    public string Path { get; }

    /// <summary>Writes a step row.</summary>
    public void WriteStep(int step, int epoch, double loss, double learningRate, IReadOnlyDictionary<string, double> terms, double ecgPerSecond, double? gradNorm)
    {
        var row = new JsonObject
        {
            ["kind"] = "step", ["step"] = step, ["epoch"] = epoch, ["loss"] = Finite(loss), ["lr"] = learningRate,
            ["ecg_per_s"] = Math.Round(ecgPerSecond, 3),
        };
        if (gradNorm is { } g) row["grad_norm"] = Finite(g);
        var t = new JsonObject();
        foreach (var (name, value) in terms) t[name] = Finite(value);
        row["terms"] = t;
        _writer.WriteLine(row.ToJsonString());
    }

    /// <summary>Writes a validation (or test) row: <paramref name="metrics"/> flattened beside kind, split, step and epoch.</summary>
    public void WriteValidation(int step, int epoch, string split, IReadOnlyDictionary<string, double> metrics)
    {
        var row = new JsonObject { ["kind"] = split == "test" ? "test" : "validation", ["split"] = split, ["step"] = step, ["epoch"] = epoch };
        foreach (var (name, value) in metrics) row[name] = Finite(value);
        _writer.WriteLine(row.ToJsonString());
    }

    private static JsonNode? Finite(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();
}
