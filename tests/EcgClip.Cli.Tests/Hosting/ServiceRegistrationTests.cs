using EcgClip.Core.Hosting;
using EcgClip.Signal.Datasets;
using EcgClip.Testing;
using EcgClip.Text.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace EcgClip.Cli.Tests.Hosting;

public sealed class ServiceRegistrationTests
{
    private static ServiceProvider BuildAll() => new ServiceCollection()
        .AddEcgClip(o => { o.Backbone = "resnet34"; o.Device = "cpu"; })
        .AddEcgClipSignal()
        .AddEcgClipText()
        .AddEcgClipEval()
        .BuildServiceProvider();

    [Fact]
    public void AddAll_ResolvesKeyedTextFactoriesAndBackbones()
    {
        using var sp = BuildAll();
        sp.ValidateEcgClipOptions();
        Assert.Equal("transformer", sp.GetRequiredKeyedService<ITextEncoderFactory>("transformer").Name);
        Assert.Equal("bert", sp.GetRequiredKeyedService<ITextEncoderFactory>("bert").Name);
        Assert.Equal("resnet34", sp.GetRequiredService<IEcgEncoderProvider>().GetFactory().Name);
        Assert.NotNull(sp.GetRequiredService<EcgClip.Eval.Metrics.RankingEvaluator>());
        Assert.NotNull(sp.GetRequiredService<EcgClip.Eval.Comparison.PairedComparer>());
    }

    [Fact]
    public void RecordLoader_ReadsSharedPtbXlRecordInCanonicalOrder()
    {
        using var sp = BuildAll();
        var loader = sp.GetRequiredService<IEcgRecordLoader>();
        var record = loader.Load(TestPaths.PtbXl("records100", "00000", "00001_lr.hea"));
        Assert.Equal(100, record.SamplingRate);
        Assert.Equal(12, record.Channels.Count);
        Assert.Equal(1000, record.SampleCount);
    }

    [Fact]
    public void AppRegistrationWins_OverDefaults()
    {
        var custom = new DelegateRecordLoader(_ => throw new InvalidOperationException("custom"));
        using var sp = new ServiceCollection().AddSingleton<IEcgRecordLoader>(custom).AddEcgClipSignal().BuildServiceProvider();
        Assert.Same(custom, sp.GetRequiredService<IEcgRecordLoader>());
    }
}
