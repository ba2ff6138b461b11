using System.Text.Json;
using System.Text.Json.Nodes;

namespace EcgClip.Core.Training;

/// <summary>
/// Appends one JSON object per line to <c>&lt;run&gt;/metrics.jsonl</c>: <c>"kind":"step"</c> rows (step, epoch, loss,
/// lr, ecg_per_s, grad_norm, rss_mb, terms) and <c>"kind":"validation"</c> rows (retrieval R@1/5/10 both directions,
/// chance, zero-shot AUROC) with the keys that Eval's <c>TrainingCurvesPlot</c> reads. Each line is flushed as written.
/// A step row goes through one reused <see cref="Utf8JsonWriter"/> (no JSON tree per step). Not thread-safe.
/// </summary>
public sealed class MetricsJsonlWriter : IDisposable
{
    /// <summary>The file name inside the run folder.</summary>
    public const string FileName = "metrics.jsonl";

    private readonly FileStream _stream;
    private readonly Utf8JsonWriter _json;

    /// <summary>Opens (appending) <c>metrics.jsonl</c> in <paramref name="runDirectory"/>.</summary>
    public MetricsJsonlWriter(string runDirectory)
    {
        Directory.CreateDirectory(runDirectory);
        Path = System.IO.Path.Combine(runDirectory, FileName);
        _stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
        _json = new Utf8JsonWriter(_stream);
    }

    /// <summary>The file written.</summary>
    public string Path { get; }

    /// <summary>
    /// Writes a step row; <paramref name="residentMegabytes"/> is the process's resident set size in MiB
    /// (<see cref="Performance.ResidentMemory"/>), written as <c>rss_mb</c> when known.
    /// </summary>
    public void WriteStep(int step, int epoch, double loss, double learningRate, IReadOnlyDictionary<string, double> terms, double ecgPerSecond, double? gradNorm,
        double? residentMegabytes = null)
    {
        ArgumentNullException.ThrowIfNull(terms);
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString("kind", "step");
        _json.WriteNumber("step", step);
        _json.WriteNumber("epoch", epoch);
        Finite("loss", loss);
        _json.WriteNumber("lr", learningRate);
        _json.WriteNumber("ecg_per_s", Math.Round(ecgPerSecond, 3));
        if (gradNorm is { } g) Finite("grad_norm", g);
        if (residentMegabytes is { } rss) _json.WriteNumber("rss_mb", Math.Round(rss, 1));
        _json.WriteStartObject("terms");
        foreach (var (name, value) in terms) Finite(name, value);
        _json.WriteEndObject();
        _json.WriteEndObject();
        EndLine();
    }

    /// <summary>Writes a validation (or test) row: <paramref name="metrics"/> flattened beside kind, split, step and epoch.</summary>
    public void WriteValidation(int step, int epoch, string split, IReadOnlyDictionary<string, double> metrics)
    {
        var row = new JsonObject { ["kind"] = split == "test" ? "test" : "validation", ["split"] = split, ["step"] = step, ["epoch"] = epoch };
        foreach (var (name, value) in metrics) row[name] = double.IsFinite(value) ? JsonValue.Create(value) : null;
        _json.Reset();
        row.WriteTo(_json);
        EndLine();
    }

    private void Finite(string name, double v)
    {
        if (double.IsFinite(v)) _json.WriteNumber(name, v);
        else _json.WriteNull(name);
    }

    private void EndLine()
    {
        _json.Flush();
        _stream.WriteByte((byte)'\n');
        _stream.Flush();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _json.Dispose();
        _stream.Dispose();
    }
}
