using EcgClip.Eval.Protocols;
using EcgClip.Eval.Reporting;
using Microsoft.Extensions.DependencyInjection;

namespace EcgClip.Eval.Tests;

public sealed class EcgClipEvalServiceCollectionExtensionsTests
{
    [Fact]
    public void AddEcgClipEval_ProtocolServices_ResolveAsSingletons()
    {
        using var provider = new ServiceCollection().AddEcgClipEval().BuildServiceProvider();
        Assert.Same(provider.GetRequiredService<LinearProbe>(), provider.GetRequiredService<LinearProbe>());
        Assert.NotNull(provider.GetRequiredService<DataEfficiencyRunner>());
        Assert.NotNull(provider.GetRequiredService<LinearProbeEvaluation>());
        Assert.NotNull(provider.GetRequiredService<ResultsWriter>());
        Assert.NotNull(provider.GetRequiredService<ModelComparer>());
    }
}
