using EcgClip.Core.Distributed;
using EcgClip.Core.Native;
using EcgClip.Distributed.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Usage: EcgClip.Distributed.TestHost <train|hang|kill|bench|collectives> --out DIR [--steps N] [--timeout S] [--backbone NAME] [--batch B]
// Run under `mpiexec -n 2`; every rank writes DIR/rank<R>.json (train, bench) and prints one line per step.
var hostArgs = HostArgs.Parse(args);
TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
TorchSharp.torch.set_num_threads(hostArgs.Threads);
Directory.CreateDirectory(hostArgs.Out);

var services = new ServiceCollection()
    .AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).AddFilter("Microsoft", LogLevel.Warning)
        .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace))
    .AddEcgClipDistributed(o =>
    {
        o.Backend = hostArgs.Backend;
        o.CollectiveTimeoutSeconds = hostArgs.TimeoutSeconds;
    });
using var provider = services.BuildServiceProvider();
var backend = provider.GetRequiredService<IDistributedBackend>();
try
{
    switch (hostArgs.Scenario)
    {
        case "train": TrainScenario.Run(backend, hostArgs); break;
        case "hang": FailureScenarios.Hang(backend, hostArgs); break;
        case "kill": FailureScenarios.RunUntilKilled(backend, hostArgs); break;
        case "bench": BenchScenario.Run(backend, hostArgs); break;
        case "collectives": CollectivesScenario.Run(backend, hostArgs); break;
        default: throw new ArgumentException($"unknown scenario '{hostArgs.Scenario}' (train, hang, kill, bench, collectives)");
    }
    return 0;
}
catch (DistributedException e)
{
    Console.Error.WriteLine($"rank {backend.Rank}: distributed error: {e.GetType().Name}: {e.Message}");
    Console.Error.Flush();
    return MpiExit.AbortJob(backend); // disposes a faulted MPI backend: MPI_Abort ends every rank
}
