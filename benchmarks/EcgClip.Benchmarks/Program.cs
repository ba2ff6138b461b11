using System.Globalization;
using BenchmarkDotNet.Running;

namespace EcgClip.Benchmarks;

/// <summary>
/// Runs the benchmarks with BenchmarkDotNet's default (out-of-process) toolchain, e.g.
/// <c>dotnet run -c Release --project benchmarks/EcgClip.Benchmarks -- --filter '*'</c>.
/// <c>--compare BASELINE RESULTS_DIR [FACTOR] [--update]</c> compares (or refreshes) the committed baseline;
/// scripts/bench.sh runs both for CI.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length >= 3 && args[0] == "--compare")
        {
            double factor = args.Length >= 4 && double.TryParse(args[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var f) ? f : 3.0;
            return BaselineComparer.Run(args[1], args[2], factor, update: args.Contains("--update"));
        }
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
