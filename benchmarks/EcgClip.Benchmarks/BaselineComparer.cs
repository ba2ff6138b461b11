using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EcgClip.Benchmarks;

/// <summary>
/// Compares BenchmarkDotNet JSON results with <c>benchmarks/baseline.json</c> and prints a Markdown table.
/// Fails (exit 1) only on a gross regression: a tracked benchmark more than <c>factor</c> times slower than its
/// baseline (these machines are noisy) on the same CPU class. <c>--update</c> rewrites this CPU class's profile
/// from the results instead and leaves the other profiles as they are.
/// </summary>
internal static class BaselineComparer
{
    public static int Run(string baselinePath, string resultsDir, double factor, bool update) =>
        Run(baselinePath, resultsDir, factor, update, CpuClass.Current());

    /// <summary>
    /// <paramref name="cpuClass"/> picks the baseline profile (<see cref="CpuClass"/>): results are compared only with
    /// a profile recorded on the same instruction-set class; on a class without one the table is printed ungated.
    /// </summary>
    public static int Run(string baselinePath, string resultsDir, double factor, bool update, string cpuClass)
    {
        var current = ReadResults(resultsDir);
        if (current.Count == 0)
        {
            Console.Error.WriteLine($"no BenchmarkDotNet JSON results under {resultsDir}");
            return 1;
        }
        JsonObject root;
        try
        {
            root = File.Exists(baselinePath) ? JsonNode.Parse(File.ReadAllText(baselinePath)) as JsonObject ?? [] : [];
        }
        catch (JsonException e)
        {
            Console.Error.WriteLine($"{baselinePath}: not valid JSON ({e.Message})");
            return 2;
        }
        if (root["profiles"] is not JsonObject profiles)
        {
            profiles = [];
            root["profiles"] = profiles;
        }
        if (update)
        {
            root["comment"] ??= "Mean time per operation in nanoseconds, measured by .ci/run's short benchmark job, one profile per CPU instruction-set class. Regenerate this machine's profile with scripts/bench.sh --update.";
            profiles[cpuClass] = new JsonObject
            {
                ["machine"] = $"{Environment.MachineName}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}",
                ["benchmarks"] = new JsonObject(current.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                    .Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(Math.Round(kv.Value, 1))))),
            };
            File.WriteAllText(baselinePath, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
            Console.WriteLine($"baseline profile '{cpuClass}' updated: {current.Count} benchmarks -> {baselinePath}");
            return 0;
        }

        var baseline = profiles[cpuClass]?["benchmarks"] is JsonObject b0
            ? b0.ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<double>(), StringComparer.Ordinal)
            : null;
        if (baseline is null)
        {
            string known = profiles.Count == 0 ? "none" : string.Join(", ", profiles.Select(p => p.Key));
            Console.WriteLine($"benchmarks: no baseline profile for this CPU class '{cpuClass}' (recorded: {known}); " +
                "results are listed but not gated. Record one with scripts/bench.sh --update on a quiet machine.");
        }
        else
        {
            Console.WriteLine($"benchmarks: compared with baseline profile '{cpuClass}' ({profiles[cpuClass]?["machine"]})");
        }

        int regressions = 0;
        Console.WriteLine($"| benchmark | baseline | current | ratio | status |");
        Console.WriteLine($"|---|---:|---:|---:|---|");
        foreach (var (name, ns) in current.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            string status;
            string baseText = "-", ratioText = "-";
            if (baseline is not null && baseline.TryGetValue(name, out double b) && b > 0)
            {
                double ratio = ns / b;
                baseText = Format(b);
                ratioText = ratio.ToString("F2", CultureInfo.InvariantCulture);
                status = ratio > factor ? "REGRESSION" : "ok";
                if (ratio > factor) regressions++;
            }
            else
            {
                status = "new (no baseline)";
            }
            Console.WriteLine($"| {name} | {baseText} | {Format(ns)} | {ratioText} | {status} |");
        }
        foreach (var missing in (baseline?.Keys ?? Enumerable.Empty<string>()).Except(current.Keys).Order(StringComparer.Ordinal))
            Console.WriteLine($"| {missing} | {Format(baseline![missing])} | - | - | not run |");
        Console.WriteLine(regressions == 0
            ? $"benchmarks: {current.Count} run, no regression beyond {factor}x"
            : $"benchmarks: {regressions} regression(s) beyond {factor}x");
        return regressions == 0 ? 0 : 1;
    }

    private static string Format(double ns) => ns switch
    {
        >= 1e9 => (ns / 1e9).ToString("F2", CultureInfo.InvariantCulture) + " s",
        >= 1e6 => (ns / 1e6).ToString("F2", CultureInfo.InvariantCulture) + " ms",
        >= 1e3 => (ns / 1e3).ToString("F2", CultureInfo.InvariantCulture) + " us",
        _ => ns.ToString("F1", CultureInfo.InvariantCulture) + " ns",
    };

    /// <summary>Reads "Type.Method(params)" → mean ns from every <c>*-report-full-compressed.json</c>/<c>*-report.json</c>.</summary>
    private static Dictionary<string, double> ReadResults(string dir)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (!Directory.Exists(dir)) return result;
        foreach (var file in Directory.EnumerateFiles(dir, "*.json"))
        {
            JsonNode? root;
            try { root = JsonNode.Parse(File.ReadAllText(file)); }
            catch (JsonException) { continue; }
            if (root?["Benchmarks"] is not JsonArray benchmarks) continue;
            foreach (var b in benchmarks)
            {
                string? type = b?["Type"]?.GetValue<string>();
                string? method = b?["Method"]?.GetValue<string>();
                string parameters = b?["Parameters"]?.GetValue<string>() ?? "";
                var mean = b?["Statistics"]?["Mean"];
                if (type is null || method is null || mean is null) continue;
                string key = parameters.Length > 0 ? $"{type}.{method}({parameters})" : $"{type}.{method}";
                result[key] = mean.GetValue<double>();
            }
        }
        return result;
    }
}
