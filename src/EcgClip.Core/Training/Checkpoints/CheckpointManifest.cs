using System.Text.Json;
using System.Text.Json.Serialization;

namespace EcgClip.Core.Training.Checkpoints;

/// <summary>
/// <c>manifest.json</c> of a checkpoint folder, written last: the commit marker. It lists every file the checkpoint
/// holds with its size and SHA-256, so a torn or bit-flipped checkpoint is detected before it is loaded.
/// </summary>
public sealed record CheckpointManifest
{
    /// <summary>The manifest's file name inside a checkpoint folder.</summary>
    public const string FileName = "manifest.json";

    /// <summary>The format version this code writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Format version (<see cref="CurrentFormatVersion"/>).</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The checkpoint's name (its folder name).</summary>
    public string Name { get; init; } = "";

    /// <summary>The optimisation step the checkpoint was taken at, when known (given, or the last number in the name).</summary>
    public long? Step { get; init; }

    /// <summary>When the checkpoint was written (UTC).</summary>
    public DateTimeOffset CreatedUtc { get; init; }

    /// <summary>Every file of the checkpoint except the manifest, relative paths with '/' separators, sorted ordinally.</summary>
    public IReadOnlyList<CheckpointFileEntry> Files { get; init; } = [];

    /// <summary>JSON options of the manifest (camelCase, indented).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>One file of a checkpoint.</summary>
/// <param name="Path">Path relative to the checkpoint folder, '/' separated.</param>
/// <param name="Size">Length in bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the content.</param>
public sealed record CheckpointFileEntry(string Path, long Size, string Sha256);
