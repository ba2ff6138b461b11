using System.Diagnostics;
using System.Text.Json;
using EcgClip.Testing;

namespace EcgClip.Cli.Tests.Convert;

/// <summary><c>ecgclip info</c> through the real executable (stdout is captured from a child process).</summary>
public sealed class InfoCommandTests
{
    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ecgclip.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout, err.Result);
    }

    [Fact]
    public void Info_PtbDiagnosticRecord_JsonHasHeaderMetadataAndStatements()
    {
        var (code, stdout, _) = Run("info", TestPaths.Fixture("wfdb_python_samples", "sample-data", "s0010_re.hea"), "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        // s0010_re.hea: 15 signals at 1000 Hz, 38400 samples; "# age: 81", "# sex: female", "Reason for admission: Myocardial infarction".
        Assert.Equal(1000, r.GetProperty("sampling_rate_hz").GetDouble());
        Assert.Equal(38400, r.GetProperty("samples").GetInt64());
        Assert.Equal(15, r.GetProperty("channels").GetArrayLength());
        Assert.Equal("vx", r.GetProperty("channels")[12].GetProperty("name").GetString());
        Assert.Equal(81, r.GetProperty("metadata").GetProperty("age").GetDouble());
        Assert.Equal("F", r.GetProperty("metadata").GetProperty("sex").GetString());
        Assert.Contains(r.GetProperty("statements").EnumerateArray(), s => s.GetString() == "Reason for admission: Myocardial infarction");
        Assert.True(r.GetProperty("checksums_verified").GetBoolean());
        Assert.Equal(16, r.GetProperty("wfdb").GetProperty("signals")[0].GetProperty("format").GetInt32());
    }

    [Fact]
    public void Info_MultiSegmentWithMissingSegments_HeaderOnlyWithLayoutChannels()
    {
        var (code, stdout, _) = Run("info", TestPaths.Fixture("wfdb_python_samples", "sample-data", "multi-segment", "p000878", "p000878-2137-10-26-16-57.hea"), "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        Assert.Equal(52725000, r.GetProperty("samples").GetInt64());
        Assert.Equal(["PLETH", "II", "V", "ABP"], r.GetProperty("channels").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToArray());
        Assert.Equal(36, r.GetProperty("wfdb").GetProperty("segment_count").GetInt32());
        Assert.False(r.GetProperty("checksums_verified").GetBoolean());
    }

    [Fact]
    public void Info_MissingFile_Exit2WithMessage()
    {
        var (code, _, stderr) = Run("info", "/nonexistent/x.hea");
        Assert.Equal(2, code);
        Assert.Contains("/nonexistent/x.hea", stderr);
    }

    [Fact]
    public void Info_Text_ShowsChannelsAndLabels()
    {
        var (code, stdout, _) = Run("info", TestPaths.Fixture("cinc2021_samples", "HR06002.hea"));
        Assert.Equal(0, code);
        Assert.Contains("labels:        426177001, 426783006, 713426002", stdout);
        Assert.Contains("canonical 12-lead order", stdout);
    }
}
