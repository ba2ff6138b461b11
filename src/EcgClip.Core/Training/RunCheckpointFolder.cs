using System.Security.Cryptography;
using System.Text.Json;

namespace EcgClip.Core.Training;

/// <summary>
/// The checkpoints of one run under <c>&lt;run&gt;/checkpoints/</c>. A checkpoint is written into a hidden temporary
/// folder beside its final place, each file fsynced, then <c>manifest.json</c> (SHA-256 of every file) last, then the
/// folder is renamed into place: a killed run leaves only a temporary folder, never a half checkpoint.
/// </summary>
internal sealed class RunCheckpointFolder
{
    public const string ManifestFileName = "manifest.json";
    private const string TempPrefix = ".tmp-";

    public RunCheckpointFolder(string runDirectory)
    {
        Root = Path.Combine(runDirectory, "checkpoints");
    }

    public string Root { get; }

    public string Write(string name, Action<string> writeInto)
    {
        Directory.CreateDirectory(Root);
        string final = Path.Combine(Root, name);
        string temp = Path.Combine(Root, $"{TempPrefix}{name}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        writeInto(temp);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(temp).Order(StringComparer.Ordinal))
        {
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite))
            {
                stream.Flush(flushToDisk: true);
                stream.Position = 0;
                files[Path.GetFileName(file)] = Convert.ToHexStringLower(SHA256.HashData(stream));
            }
        }
        string manifest = Path.Combine(temp, ManifestFileName);
        using (var stream = new FileStream(manifest, FileMode.CreateNew, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, new { files });
            stream.Flush(flushToDisk: true);
        }
        if (Directory.Exists(final))
        {
            string old = Path.Combine(Root, $"{TempPrefix}old-{name}-{Guid.NewGuid():N}");
            Directory.Move(final, old);
            Directory.Move(temp, final);
            Directory.Delete(old, recursive: true);
        }
        else
        {
            Directory.Move(temp, final);
        }
        return final;
    }

    public bool IsComplete(string directory)
    {
        string manifest = Path.Combine(directory, ManifestFileName);
        if (!File.Exists(manifest)) return false;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
            foreach (var entry in doc.RootElement.GetProperty("files").EnumerateObject())
            {
                string file = Path.Combine(directory, entry.Name);
                if (!File.Exists(file)) return false;
                using var stream = File.OpenRead(file);
                if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(stream)), entry.Value.GetString(), StringComparison.Ordinal)) return false;
            }
            return true;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    public IReadOnlyList<string> List() =>
        !Directory.Exists(Root) ? [] : Directory.EnumerateDirectories(Root).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal).ToList();

    /// <summary>The complete checkpoint with the most steps (ties: the latest written), or null.</summary>
    public string? Latest()
    {
        string? best = null;
        int bestStep = -1;
        DateTime bestTime = DateTime.MinValue;
        foreach (var dir in List())
        {
            if (!IsComplete(dir)) continue;
            int step;
            try { step = TrainerState.Load(dir).Step; } catch (InvalidDataException) { continue; }
            var time = Directory.GetLastWriteTimeUtc(dir);
            if (step > bestStep || (step == bestStep && time > bestTime)) { best = dir; bestStep = step; bestTime = time; }
        }
        return best;
    }

    public int RemoveLeftovers()
    {
        if (!Directory.Exists(Root)) return 0;
        int removed = 0;
        foreach (var dir in Directory.EnumerateDirectories(Root).Where(d => Path.GetFileName(d).StartsWith(TempPrefix, StringComparison.Ordinal)))
        {
            Directory.Delete(dir, recursive: true);
            removed++;
        }
        return removed;
    }

    public void Prune(string prefix, int keepLast)
    {
        var periodic = List().Where(d => Path.GetFileName(d).StartsWith(prefix, StringComparison.Ordinal)).ToList();
        foreach (var dir in periodic.Take(Math.Max(0, periodic.Count - keepLast))) Directory.Delete(dir, recursive: true);
    }
}
