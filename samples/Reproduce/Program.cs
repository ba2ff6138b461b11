// The one-command reproduction through the library API with dependency injection: what `ecgclip reproduce` does.
// Pretrains ECGCLIP (clip) and the MERL-objective baseline (merl) on the same data, steps and seed, linear-probes both and
// random initialisation at 10% and 100% of the labels, and writes report.md (won / lost / could not be told apart, with CIs).
// Defaults are tiny (2 steps, 40 items per split of the embedded PTB-XL subset, 1 seed) so it runs in about a minute:
//   dotnet run --project samples/Reproduce -c Release [-- --steps 20 --limit 400 --out /tmp/reproduce-sample]
// The full reproduction is `--limit 0 --epochs 4 --seeds 3 --bootstrap 1000` (≈ 30 min on 2 cores).
using EcgClip.Core.Models;
using EcgClip.Eval.Protocols;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

int steps = Arg("--steps", 2), limit = Arg("--limit", 40);
string output = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "ecgclip-reproduce-sample");

using var services = new ServiceCollection()
    .AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information))
    .AddEcgClip(o => { o.Device = "cpu"; o.Threads = 2; })   // model catalog, objectives, model factory, trainer
    .AddEcgClipText()                                     // the text tower builder
    .AddEcgClipEval()                                     // probes, bootstrap, comparisons, ReproductionRunner
    .BuildServiceProvider();
services.GetRequiredService<TorchRuntime>().EnsureThreads(2);

var options = new ReproductionOptions
{
    Data = "embedded", OutputDirectory = output, Steps = steps, BatchSize = 8, Limit = limit, Seeds = 1, Bootstrap = 100, Threads = 2,
    Tasks = ["superdiagnostic", "age"], Fractions = [0.1, 1.0],
};
var result = services.GetRequiredService<ReproductionRunner>().Run(options);

foreach (var p in result.Pretrainings)
    Console.WriteLine($"{p.Model}: {p.Steps} steps, loss {p.LossFirst:F3} -> {p.LossLast:F3}{(p.Reused ? " (reused)" : "")}");
foreach (var c in result.Comparisons) Console.WriteLine("- " + ReproductionSentences.Sentence(c));
Console.WriteLine($"report: {result.Files.Report} ({result.WallSeconds:F0} s)");
return 0;

int Arg(string name, int fallback) =>
    args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } v && int.TryParse(v, out int n) ? n : fallback;
