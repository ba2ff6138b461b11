using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace EcgClip.Core.Distributed;

/// <summary>
/// Report group ids that mean the same on every rank, for shared positives over a gathered batch: the first 8 bytes
/// of SHA-256 of the normalised report text (a collision between two different reports in one global batch has
/// probability about B²/2⁶⁴). Per-batch ids (0, 1, 2, … in order of first appearance) must not be gathered: rank 0's
/// group 0 and rank 1's group 0 are different reports.
/// </summary>
public static class GlobalReportGroups
{
    /// <summary>One id per normalised report; equal texts get equal ids on every rank and machine.</summary>
    public static long[] Compute(IReadOnlyList<string> normalizedReports)
    {
        ArgumentNullException.ThrowIfNull(normalizedReports);
        var ids = new long[normalizedReports.Count];
        Span<byte> hash = stackalloc byte[32];
        for (int i = 0; i < ids.Length; i++)
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(normalizedReports[i] ?? ""), hash);
            ids[i] = BinaryPrimitives.ReadInt64LittleEndian(hash);
        }
        return ids;
    }
}
