namespace EcgClip.Cli.Tests.Metrics;

/// <summary>Fixture files of the metrics CLI tests.</summary>
internal static class MetricsFixtures
{
    public static string Path(string name) => EcgClip.Testing.TestPaths.Repo("tests", "EcgClip.Cli.Tests", "Metrics", "Fixtures", name);
}
