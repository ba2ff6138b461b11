using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EcgClip.Core.Training.Checkpoints;

/// <summary>
/// The checkpoints of one run, in <c>&lt;run&gt;/checkpoints/&lt;name&gt;/</c>. A checkpoint appears whole or not at all:
/// <see cref="Write"/> fills a hidden sibling folder <c>.tmp-&lt;name&gt;-&lt;pid&gt;-&lt;guid&gt;</c>, flushes every file
/// to disk, writes <c>manifest.json</c> (sizes and SHA-256 of every file) last, then renames the folder into place.
/// Replacing an existing name renames the old folder aside (<c>.old-&lt;name&gt;-&lt;pid&gt;-&lt;guid&gt;</c>) first, so
/// a crash at any point leaves a complete old or new checkpoint (<see cref="RemoveLeftovers"/> renames a complete
/// orphan into place).
/// </summary>
/// <remarks>
/// Ordering: by <see cref="CheckpointManifest.Step"/> (the <c>step</c> argument of <see cref="Write"/>, else the last
/// number in the name, e.g. <c>step-000120</c> → 120), then creation time; checkpoints without a step sort first.
/// Folder renames are atomic on one file system; the directory entry itself is not fsynced (.NET cannot open a folder).
/// </remarks>
public sealed partial class CheckpointStore
{
    private const string TempPrefix = ".tmp-";
    private const string OldPrefix = ".old-";
    private readonly ILogger _logger;

    /// <summary>Opens (without creating) the store of <paramref name="runDirectory"/>.</summary>
    public CheckpointStore(string runDirectory, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(runDirectory);
        RunDirectory = Path.GetFullPath(runDirectory);
        Root = Path.Combine(RunDirectory, "checkpoints");
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The run folder.</summary>
    public string RunDirectory { get; }

    /// <summary><c>&lt;run&gt;/checkpoints</c>.</summary>
    public string Root { get; }

    /// <summary>
    /// Writes checkpoint <paramref name="name"/>: <paramref name="writeInto"/> receives an empty folder to write its files
    /// into (not <c>manifest.json</c>); the folder then appears whole as <c>&lt;Root&gt;/&lt;name&gt;</c>, replacing an
    /// existing checkpoint of that name. Returns the final path. If the callback throws, nothing appears.
    /// </summary>
    /// <param name="name">Folder name: letters, digits, '-', '_', '.', not starting with '.'.</param>
    /// <param name="writeInto">Writes the checkpoint's files into the folder it is given.</param>
    /// <param name="step">The optimisation step; null takes the last number in <paramref name="name"/>.</param>
    public string Write(string name, Action<string> writeInto, long? step = null)
    {
        ValidateName(name);
        ArgumentNullException.ThrowIfNull(writeInto);
        Directory.CreateDirectory(Root);
        string tmp = Path.Combine(Root, $"{TempPrefix}{name}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tmp);
        try
        {
            writeInto(tmp);
            if (File.Exists(Path.Combine(tmp, CheckpointManifest.FileName)))
                throw new InvalidOperationException($"checkpoint '{name}': the callback wrote {CheckpointManifest.FileName}, which the store writes");
            var files = new List<CheckpointFileEntry>();
            foreach (string file in Directory.EnumerateFiles(tmp, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                string relative = Path.GetRelativePath(tmp, file).Replace(Path.DirectorySeparatorChar, '/');
                var (size, sha) = FlushAndHash(file);
                files.Add(new CheckpointFileEntry(relative, size, sha));
            }
            var manifest = new CheckpointManifest
            {
                Name = name,
                Step = step ?? StepFromName(name),
                CreatedUtc = DateTimeOffset.UtcNow,
                Files = files,
            };
            string manifestPath = Path.Combine(tmp, CheckpointManifest.FileName);
            using (var f = new FileStream(manifestPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(f, manifest, CheckpointManifest.JsonOptions);
                f.Flush(flushToDisk: true);
            }
            string final = Path.Combine(Root, name);
            if (Directory.Exists(final))
            {
                string aside = Path.Combine(Root, $"{OldPrefix}{name}-{Environment.ProcessId}-{Guid.NewGuid():N}");
                Directory.Move(final, aside);
                try
                {
                    Directory.Move(tmp, final);
                }
                catch
                {
                    Directory.Move(aside, final); // keep the old checkpoint under its name
                    throw;
                }
                TryDelete(aside);
            }
            else
            {
                Directory.Move(tmp, final);
            }
            LogWritten(_logger, final, files.Count, files.Sum(f => f.Size));
            return final;
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    /// <summary>Complete checkpoints (folders with a manifest; not verified), oldest first by step then creation time.</summary>
    public IReadOnlyList<string> List()
    {
        if (!Directory.Exists(Root)) return [];
        var found = new List<(string Path, long Step, DateTimeOffset Created)>();
        foreach (string dir in Directory.EnumerateDirectories(Root))
        {
            string leaf = Path.GetFileName(dir);
            if (leaf.StartsWith('.')) continue;
            var manifest = TryReadManifest(dir);
            if (manifest is null) continue;
            found.Add((dir, manifest.Step ?? -1, manifest.CreatedUtc));
        }
        return found.OrderBy(c => c.Step).ThenBy(c => c.Created).ThenBy(c => c.Path, StringComparer.Ordinal).Select(c => c.Path).ToList();
    }

    /// <summary>
    /// The newest checkpoint that passes <see cref="Verify"/>, or null when there is none. A corrupt newer one is skipped
    /// with a warning.
    /// </summary>
    public string? Latest()
    {
        var all = List();
        for (int i = all.Count - 1; i >= 0; i--)
        {
            try
            {
                Verify(all[i]);
                return all[i];
            }
            catch (CheckpointFormatException ex)
            {
                LogSkippedCorrupt(_logger, all[i], ex.Message);
            }
        }
        return null;
    }

    /// <summary>
    /// Cleans up after writers that no longer run (killed, or the machine lost power). A <c>.tmp-*-&lt;pid&gt;-&lt;guid&gt;</c>
    /// folder of a dead pid is deleted, unless it is complete (its manifest written and verified: the writer died just
    /// before the rename) and its name is free: then it is renamed into place. An <c>.old-&lt;name&gt;-…</c> folder (a
    /// replace interrupted between its two renames) is renamed back when the name is still free, else deleted. Folders
    /// of live processes (this one included) and names this store does not write are left alone. Returns the number of
    /// folders removed or restored.
    /// </summary>
    public int RemoveLeftovers()
    {
        if (!Directory.Exists(Root)) return 0;
        int count = 0;
        var candidates = Directory.EnumerateDirectories(Root)
            .Select(dir => (Dir: dir, Leaf: Path.GetFileName(dir)))
            .Where(c => c.Leaf.StartsWith(TempPrefix, StringComparison.Ordinal) || c.Leaf.StartsWith(OldPrefix, StringComparison.Ordinal))
            .OrderBy(c => c.Leaf.StartsWith(TempPrefix, StringComparison.Ordinal) ? 0 : 1) // the newer content first
            .ThenBy(c => c.Leaf, StringComparer.Ordinal)
            .ToList();
        foreach (var (dir, leaf) in candidates)
        {
            bool isTemp = leaf.StartsWith(TempPrefix, StringComparison.Ordinal);
            var parsed = ParseLeftover(leaf[(isTemp ? TempPrefix.Length : OldPrefix.Length)..]);
            if (parsed is not var (name, pid)) continue;
            if (Signal.IO.ProcessLiveness.IsAlive(pid)) continue;
            string final = Path.Combine(Root, name);
            if (!Directory.Exists(final) && IsComplete(dir, name))
            {
                Directory.Move(dir, final);
                LogRestored(_logger, final, dir);
                count++;
                continue;
            }
            if (TryDelete(dir))
            {
                LogRemovedLeftover(_logger, dir, pid);
                count++;
            }
        }
        return count;
    }

    private static bool IsComplete(string dir, string name)
    {
        try
        {
            Verify(dir);
            return ReadManifest(dir).Name == name;
        }
        catch (CheckpointFormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Deletes complete checkpoints except the newest <paramref name="keepLast"/> and those named (folder name or full path)
    /// in <paramref name="keep"/>, e.g. the best one.
    /// </summary>
    public void Prune(int keepLast, IEnumerable<string> keep)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keepLast);
        ArgumentNullException.ThrowIfNull(keep);
        var protectedNames = new HashSet<string>(keep.Select(k => Path.GetFileName(Path.TrimEndingDirectorySeparator(k))), StringComparer.Ordinal);
        var all = List();
        for (int i = 0; i < all.Count - keepLast; i++)
        {
            if (protectedNames.Contains(Path.GetFileName(all[i]))) continue;
            Directory.Delete(all[i], recursive: true);
            LogPruned(_logger, all[i]);
        }
    }

    /// <summary>Checks <paramref name="checkpointDir"/> against its manifest: every listed file exists with its size and SHA-256.</summary>
    /// <exception cref="CheckpointFormatException">Naming the file and the reason: missing folder or file, bad JSON, unknown version, size or hash mismatch.</exception>
    public static void Verify(string checkpointDir)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointDir);
        if (!Directory.Exists(checkpointDir)) throw new CheckpointFormatException(checkpointDir, "checkpoint folder does not exist");
        var manifest = ReadManifest(checkpointDir);
        foreach (var entry in manifest.Files)
        {
            string path = Path.Combine(checkpointDir, entry.Path.Replace('/', Path.DirectorySeparatorChar));
            if (entry.Path.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(entry.Path))
                throw new CheckpointFormatException(Path.Combine(checkpointDir, CheckpointManifest.FileName), $"file entry '{entry.Path}' leaves the checkpoint folder");
            if (!File.Exists(path)) throw new CheckpointFormatException(path, "file listed in the manifest is missing");
            long size = new FileInfo(path).Length;
            if (size != entry.Size) throw new CheckpointFormatException(path, $"size {size} bytes, the manifest says {entry.Size}");
            string sha = HashFile(path);
            if (!string.Equals(sha, entry.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new CheckpointFormatException(path, $"SHA-256 {sha} differs from the manifest's {entry.Sha256}");
        }
    }

    /// <summary>Reads and validates the manifest of <paramref name="checkpointDir"/> (without checking the files).</summary>
    /// <exception cref="CheckpointFormatException">Missing, unreadable or malformed manifest.</exception>
    public static CheckpointManifest ReadManifest(string checkpointDir)
    {
        string path = Path.Combine(checkpointDir, CheckpointManifest.FileName);
        if (!File.Exists(path)) throw new CheckpointFormatException(path, "manifest is missing (the checkpoint is incomplete)");
        CheckpointManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<CheckpointManifest>(File.ReadAllBytes(path), CheckpointManifest.JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new CheckpointFormatException(path, $"manifest is not valid JSON: {ex.Message}", ex);
        }
        if (manifest is null) throw new CheckpointFormatException(path, "manifest is JSON null");
        if (manifest.FormatVersion != CheckpointManifest.CurrentFormatVersion)
            throw new CheckpointFormatException(path, $"format version {manifest.FormatVersion} is not supported (expected {CheckpointManifest.CurrentFormatVersion})");
        if (manifest.Files is null || manifest.Files.Any(f => f is null || string.IsNullOrEmpty(f.Path) || string.IsNullOrEmpty(f.Sha256)))
            throw new CheckpointFormatException(path, "manifest has a file entry without path or sha256");
        return manifest;
    }

    private static CheckpointManifest? TryReadManifest(string dir)
    {
        try
        {
            return ReadManifest(dir);
        }
        catch (CheckpointFormatException)
        {
            return null;
        }
    }

    /// <summary>The last run of digits in <paramref name="name"/>, or null.</summary>
    internal static long? StepFromName(string name)
    {
        var m = TrailingNumber().Match(name);
        return m.Success && long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v : null;
    }

    private static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!ValidName().IsMatch(name) || name.StartsWith('.'))
            throw new ArgumentException($"checkpoint name '{name}' must use letters, digits, '-', '_' or '.', and not start with '.'", nameof(name));
    }

    /// <summary>(name, pid) from "&lt;name&gt;-&lt;pid&gt;-&lt;32 hex&gt;", or null.</summary>
    private static (string Name, int Pid)? ParseLeftover(string rest)
    {
        var m = LeftoverSuffix().Match(rest);
        if (!m.Success || !int.TryParse(m.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) return null;
        return (m.Groups[1].Value, pid);
    }

    private static (long Size, string Sha256) FlushAndHash(string file)
    {
        using var f = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        f.Flush(flushToDisk: true);
        f.Position = 0;
        return (f.Length, Convert.ToHexStringLower(SHA256.HashData(f)));
    }

    private static string HashFile(string file)
    {
        using var f = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(f));
    }

    private bool TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogDeleteFailed(_logger, dir, ex.Message);
            return false;
        }
    }

    [GeneratedRegex(@"(\d+)(?!.*\d)")]
    private static partial Regex TrailingNumber();

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+$")]
    private static partial Regex ValidName();

    [GeneratedRegex(@"^(.+)-(\d+)-([0-9a-f]{32})$")]
    private static partial Regex LeftoverSuffix();

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkpoint written: {Path} ({Files} files, {Bytes} bytes)")]
    private static partial void LogWritten(ILogger logger, string path, int files, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipping corrupt checkpoint {Path}: {Reason}")]
    private static partial void LogSkippedCorrupt(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed half-written checkpoint folder {Path} of dead process {Pid}")]
    private static partial void LogRemovedLeftover(ILogger logger, string path, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Restored complete checkpoint {Path} from {Leftover}, left by an interrupted write")]
    private static partial void LogRestored(ILogger logger, string path, string leftover);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned checkpoint {Path}")]
    private static partial void LogPruned(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete {Path}: {Reason}")]
    private static partial void LogDeleteFailed(ILogger logger, string path, string reason);
}
