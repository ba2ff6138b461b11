using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EcgClip.Signal.Shards;

/// <summary>
/// The temporary files a killed <c>dataset build</c> leaves in a shard folder: <c>&lt;file&gt;.tmp-&lt;pid&gt;-&lt;guid&gt;</c>
/// where &lt;file&gt; is a shard file (<c>shard-…</c>), <c>manifest.json</c> or <c>skipped.csv</c>.
/// </summary>
internal static partial class ShardLeftovers
{
    /// <summary>
    /// Deletes the temporary files in <paramref name="directory"/> whose writer process no longer runs; those of live
    /// processes (this one, or parallel workers of the same build) and names the builder does not write are kept.
    /// Returns the number deleted.
    /// </summary>
    public static int RemoveDead(string directory)
    {
        if (!Directory.Exists(directory)) return 0;
        int removed = 0;
        foreach (string path in Directory.EnumerateFiles(directory, "*.tmp-*"))
        {
            var m = TempName().Match(Path.GetFileName(path));
            if (!m.Success || !int.TryParse(m.Groups["pid"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) continue;
            string target = m.Groups["file"].Value;
            if (!target.StartsWith("shard-", StringComparison.Ordinal) && target != ShardManifest.FileName && target != "skipped.csv") continue;
            if (IO.ProcessLiveness.IsAlive(pid)) continue;
            try
            {
                File.Delete(path);
                removed++;
            }
            catch (IOException)
            {
                // Removed concurrently by another worker resuming the same folder.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to delete.
            }
        }
        return removed;
    }

    [GeneratedRegex(@"^(?<file>.+)\.tmp-(?<pid>\d+)-(?<guid>[0-9a-f]{32})$")]
    private static partial Regex TempName();
}
