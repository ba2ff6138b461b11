using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EcgClip.Benchmarks;

/// <summary>
/// Compares BenchmarkDotNet JSON results with <c>benchmarks/baseline.json</c> and prints a Markdown table.
/// Fails (exit 1) only on a gross regression: a tracked benchmark more than <c>factor</c> times slower than its
/// baseline (these machines are noisy). <c>--update</c> rewrites the baseline from the results instead.
/// </summary>
internal static class BaselineComparer
{
    public static int Run(string baselinePath, string resultsDir, double factor, bool update)
    {
        var current = ReadResults(resultsDir);
        if (current.Count == 0)
        {
            Console.Error.WriteLine($"no BenchmarkDotNet JSON results under {resultsDir}");
            return 1;
        }
        if (update)
        {
            var node = new JsonObject
            {
                ["comment"] = "Mean time per operation in nanoseconds, measured by .ci/run's short benchmark job. Regenerate with scripts/bench.sh --update.",
                ["machine"] = Environment.MachineName + ", " + Environment.ProcessorCount + " cores",
                ["benchmarks"] = new JsonObject(current.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                    .Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(Math.Round(kv.Value, 1))))),
            };
            File.WriteAllText(baselinePath, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
            Console.WriteLine($"baseline updated: {current.Count} benchmarks -> {baselinePath}");
            return 0;
        }

        var baseline = File.Exists(baselinePath)
            ? JsonNode.Parse(File.ReadAllText(baselinePath))?["benchmarks"]?.AsObject()
                .ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<double>(), StringComparer.Ordinal) ?? []
            : new Dictionary<string, double>(StringComparer.Ordinal);

        int regressions = 0;
        Console.WriteLine($"| benchmark | baseline | current | ratio | status |");
        Console.WriteLine($"|---|---:|---:|---:|---|");
        foreach (var (name, ns) in current.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            string status;
            string baseText = "-", ratioText = "-";
            if (baseline.TryGetValue(name, out double b) && b > 0)
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
        foreach (var missing in baseline.Keys.Except(current.Keys).Order(StringComparer.Ordinal))
            Console.WriteLine($"| {missing} | {Format(baseline[missing])} | - | - | not run |");
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
