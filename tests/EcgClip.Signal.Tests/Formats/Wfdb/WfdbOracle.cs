using System.Globalization;
using System.IO.Compression;
using EcgClip.Testing;

namespace EcgClip.Signal.Tests.Formats.Wfdb;

/// <summary>
/// One rdsamp reference output of wfdb-python's tests/target-output (made with the WFDB C tools 10.5.24; see
/// shared/data/wfdb_python_samples/SOURCE.md): the record, the 0-based channel list and sample range it covers.
/// </summary>
public sealed record WfdbOracleCase(string File, string Record, int[]? Channels, long From, long? To, bool Physical, bool HighResolution = false)
{
    public override string ToString() => File;

    /// <summary>The SOURCE.md table, as 0-based slices.</summary>
    public static readonly WfdbOracleCase[] All =
    [
        new("record-1a", "test01_00s", null, 0, null, false),
        new("record-1b", "a103l", [2, 0], 12500, 40000, true),
        new("record-1c", "a103l", [0, 1], 20000, null, false),
        new("record-1d", "3000003_0003", [1], 125, 1000, true),
        new("record-1f.gz", "binformats", null, 0, null, false),
        new("record-2b", "100", [1], 1, 10800, false),
        new("record-2c", "100_3chan", null, 0, null, true),
        new("record-2d", "310derive", null, 2, null, false),
        new("record-2e", "311derive", null, 1, 978, true),
        new("record-3b", "s0010_re", [13, 0, 4, 8, 3], 5000, 38000, true),
        new("record-4a", "test01_00s_skewframe", null, 0, 3997, false),
        new("record-4c", "03700181", [0, 2], 1000, 16000, true),
        new("record-multi-fixed-c", "multi-segment/fixed1/v102s", [1, 0, 3], 70000, 80000, true),
        new("record-multi-fixed-d.gz", "multi-segment/041s/041s", [3, 2, 1], 0, null, false, HighResolution: true),
        new("record-multi-variable-d", "multi-segment/p000878/p000878-2137-10-26-16-57", [0, 1], 3550, 7500, false),
    ];

    public string RecordPath => TestPaths.Fixture("wfdb_python_samples", "sample-data", Record + ".hea")[..^4];

    public string OraclePath => TestPaths.Fixture("wfdb_python_samples", "tests", "target-output", File);

    /// <summary>The oracle as rows x columns; "-" (invalid sample) is NaN.</summary>
    public double[][] LoadOracle()
    {
        using Stream raw = System.IO.File.OpenRead(OraclePath);
        using Stream s = File.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(raw, CompressionMode.Decompress) : raw;
        using var reader = new StreamReader(s);
        var rows = new List<double[]>();
        while (reader.ReadLine() is { } line)
        {
            var tok = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (tok.Length == 0) continue;
            rows.Add(tok.Select(t => t == "-" ? double.NaN : double.Parse(t, CultureInfo.InvariantCulture)).ToArray());
        }
        return [.. rows];
    }
}
