using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Training;

/// <summary>A small model with every kind of state a checkpoint must carry: conv + BatchNorm (running stats), dropout, LayerNorm, Linear, a scalar logit_scale and a frozen parameter.</summary>
internal sealed class TinyModel : nn.Module<Tensor, Tensor>
{
    private readonly Conv1d conv;
    private readonly BatchNorm1d bn;
    private readonly Dropout drop;
    private readonly LayerNorm ln;
    private readonly Linear fc;
#pragma warning disable IDE0052 // registered as parameters
    private readonly Parameter logit_scale;
    private readonly Parameter frozen_table;
#pragma warning restore IDE0052

    public TinyModel(long seed, int width = 8) : base(nameof(TinyModel))
    {
        random.manual_seed(seed);
        conv = nn.Conv1d(2, width, 3, padding: 1);
        bn = nn.BatchNorm1d(width);
        drop = nn.Dropout(0.25);
        ln = nn.LayerNorm(width);
        fc = nn.Linear(width, 3);
        logit_scale = nn.Parameter(tensor(MathF.Log(1 / 0.07f)));
        frozen_table = nn.Parameter(randn(3, 3), requires_grad: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = drop.forward(nn.functional.relu(bn.forward(conv.forward(x)))).mean([2L]);
        var y = fc.forward(ln.forward(h)) * logit_scale.exp();
        return y.matmul(frozen_table).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv.Dispose();
            bn.Dispose();
            drop.Dispose();
            ln.Dispose();
            fc.Dispose();
            logit_scale.Dispose();
            frozen_table.Dispose();
        }
        base.Dispose(disposing);
    }
}
