using System.Globalization;

namespace EcgClip.Distributed.TestHost;

/// <summary>Command line of the test host.</summary>
internal sealed record HostArgs(string Scenario, string Out, int Steps, double TimeoutSeconds, string Backend, string Backbone, int Batch, int Threads)
{
    public static HostArgs Parse(string[] args)
    {
        if (args.Length == 0) throw new ArgumentException("usage: <train|hang|kill|bench> --out DIR [--steps N] [--timeout S] [--backend mpi|none] [--backbone NAME] [--batch B] [--threads T]");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 1; i + 1 < args.Length; i += 2) map[args[i].TrimStart('-')] = args[i + 1];
        string Get(string key, string fallback) => map.TryGetValue(key, out var v) ? v : fallback;
        return new HostArgs(
            args[0],
            Get("out", Path.Combine(Path.GetTempPath(), "ecgclip-dist")),
            int.Parse(Get("steps", "5"), CultureInfo.InvariantCulture),
            double.Parse(Get("timeout", "45"), CultureInfo.InvariantCulture),
            Get("backend", "mpi"),
            Get("backbone", "resnet18"),
            int.Parse(Get("batch", "8"), CultureInfo.InvariantCulture),
            int.Parse(Get("threads", "1"), CultureInfo.InvariantCulture));
    }
}
