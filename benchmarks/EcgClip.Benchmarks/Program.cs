using BenchmarkDotNet.Running;

namespace EcgClip.Benchmarks;

/// <summary>
/// Runs the benchmarks with BenchmarkDotNet's default (out-of-process) toolchain.
/// Examples: <c>dotnet run -c Release --project benchmarks/EcgClip.Benchmarks -- --filter '*'</c>;
/// CI uses <c>--job short</c> through .ci/benchmarks.sh and compares to benchmarks/baseline.json.
/// </summary>
internal static class Program
{
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
