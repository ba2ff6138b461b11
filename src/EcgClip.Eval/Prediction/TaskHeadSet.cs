using System.Text.Json;
using System.Text.Json.Serialization;
using EcgClip.Core.Abstractions;
using EcgClip.Core.Heads;
using EcgClip.Core.SafeTensors;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Eval.Prediction;

/// <summary>
/// The trained task heads of a model folder, saved as <c>heads.json</c> (tasks, kinds, output names) and
/// <c>heads.safetensors</c> (tensors named <c>&lt;task&gt;.&lt;parameter&gt;</c>). Loading is strict: every missing,
/// unexpected or mis-shaped tensor is named, so a head can never silently load as random weights.
/// </summary>
public sealed class TaskHeadSet : IDisposable
{
    /// <summary>File describing the heads.</summary>
    public const string DescriptionFile = "heads.json";

    /// <summary>File holding the heads' tensors.</summary>
    public const string TensorFile = "heads.safetensors";

    private readonly List<(TaskHeadSpec Spec, ITaskHead Head)> _heads;

    /// <summary>Creates a set from heads and their descriptions (the set owns and disposes the heads).</summary>
    public TaskHeadSet(IEnumerable<(TaskHeadSpec Spec, ITaskHead Head)> heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        _heads = heads.ToList();
        var duplicate = _heads.GroupBy(h => h.Spec.Task, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"task '{duplicate.Key}' appears twice", nameof(heads));
        foreach (var (spec, head) in _heads)
        {
            if (spec.Outputs.Count != head.OutputCount)
                throw new ArgumentException($"task '{spec.Task}': {spec.Outputs.Count} output names for a head with {head.OutputCount} outputs", nameof(heads));
            if (spec.Kind != head.Kind) throw new ArgumentException($"task '{spec.Task}': described as {spec.Kind} but the head is {head.Kind}", nameof(heads));
        }
    }

    /// <summary>The heads' descriptions, in order.</summary>
    public IReadOnlyList<TaskHeadSpec> Specs => _heads.Select(h => h.Spec).ToList();

    /// <summary>Number of heads.</summary>
    public int Count => _heads.Count;

    /// <summary>The head and description at <paramref name="index"/>.</summary>
    public (TaskHeadSpec Spec, ITaskHead Head) this[int index] => _heads[index];

    /// <summary>The head of <paramref name="task"/> (case-insensitive), or throws listing the tasks there are.</summary>
    public (TaskHeadSpec Spec, ITaskHead Head) Get(string task)
    {
        foreach (var h in _heads) if (string.Equals(h.Spec.Task, task, StringComparison.OrdinalIgnoreCase)) return h;
        throw new KeyNotFoundException($"no task '{task}'; the model has: {string.Join(", ", _heads.Select(h => h.Spec.Task))}");
    }

    /// <summary>Writes <see cref="DescriptionFile"/> and <see cref="TensorFile"/> into <paramref name="directory"/>.</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        var tensors = new Dictionary<string, (float[] Values, long[] Shape)>(StringComparer.Ordinal);
        foreach (var (spec, head) in _heads)
            foreach (var (name, p) in head.Module.named_parameters())
            {
                using var cpu = p.detach().to(float32).cpu().contiguous();
                tensors[$"{spec.Task}.{name}"] = (cpu.data<float>().ToArray(), cpu.shape);
            }
        SafeTensorsWriter.WriteFloat32(Path.Combine(directory, TensorFile), tensors);
        var description = new HeadsDescription(1, _heads.Select(h => new HeadEntry(h.Spec.Task, h.Spec.Kind, h.Spec.Outputs, h.Spec.InputDim)).ToList());
        File.WriteAllText(Path.Combine(directory, DescriptionFile), JsonSerializer.Serialize(description, s_json));
    }

    /// <summary>Reads a set written by <see cref="Save"/>; throws <see cref="TaskHeadFormatException"/> naming the file and every mismatch.</summary>
    public static TaskHeadSet Load(string directory)
    {
        string descriptionPath = Path.Combine(directory, DescriptionFile), tensorPath = Path.Combine(directory, TensorFile);
        if (!File.Exists(descriptionPath)) throw new TaskHeadFormatException(descriptionPath, "not found (train heads with `ecgclip train-heads`)");
        HeadsDescription description;
        try { description = JsonSerializer.Deserialize<HeadsDescription>(File.ReadAllText(descriptionPath), s_json) ?? throw new JsonException("empty document"); }
        catch (JsonException e) { throw new TaskHeadFormatException(descriptionPath, $"not a valid heads description: {e.Message}", e); }
        if (description.Heads is null || description.Heads.Count == 0) throw new TaskHeadFormatException(descriptionPath, "lists no heads");
        if (!File.Exists(tensorPath)) throw new TaskHeadFormatException(tensorPath, "not found");

        using var file = OpenTensors(tensorPath);
        var heads = new List<(TaskHeadSpec, ITaskHead)>();
        var problems = new List<string>();
        var expected = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var entry in description.Heads)
            {
                if (string.IsNullOrWhiteSpace(entry.Task) || entry.Outputs is null || entry.Outputs.Count == 0 || entry.InputDim < 1)
                    throw new TaskHeadFormatException(descriptionPath, $"head '{entry.Task}' needs a task name, output names and inputDim");
                var spec = new TaskHeadSpec(entry.Task, entry.Kind, entry.Outputs, entry.InputDim);
                ITaskHead head;
                try { head = new LinearTaskHead(spec.Kind, spec.InputDim, spec.Outputs.Count); }
                catch (ArgumentException e) { throw new TaskHeadFormatException(descriptionPath, $"head '{entry.Task}': {e.Message}", e); }
                heads.Add((spec, head));
                using (no_grad())
                    foreach (var (name, p) in head.Module.named_parameters())
                    {
                        string key = $"{spec.Task}.{name}";
                        expected.Add(key);
                        if (!file.Tensors.TryGetValue(key, out var info)) { problems.Add($"missing '{key}'"); continue; }
                        if (!info.Shape.SequenceEqual(p.shape)) { problems.Add($"'{key}' has shape {info.ShapeText}, the head needs [{string.Join(", ", p.shape)}]"); continue; }
                        using var value = file.ReadTensor(key);
                        p.copy_(value);
                    }
                head.Module.eval();
            }
            problems.AddRange(file.Tensors.Keys.Where(k => !expected.Contains(k)).Order(StringComparer.Ordinal).Select(k => $"unexpected '{k}'"));
            if (problems.Count > 0) throw new TaskHeadFormatException(tensorPath, "does not match heads.json: " + string.Join("; ", problems));
            return new TaskHeadSet(heads);
        }
        catch
        {
            foreach (var (_, head) in heads) head.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (_, head) in _heads) head.Dispose();
        _heads.Clear();
    }

    private static SafeTensorsFile OpenTensors(string path)
    {
        try { return SafeTensorsFile.Open(path); }
        catch (Exception e) when (e is InvalidDataException or IOException or JsonException)
        {
            throw new TaskHeadFormatException(path, $"not a readable safetensors file: {e.Message}", e);
        }
    }

    private sealed record HeadsDescription(int FormatVersion, IReadOnlyList<HeadEntry> Heads);

    private sealed record HeadEntry(string Task, TaskKind Kind, IReadOnlyList<string> Outputs, int InputDim);

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
