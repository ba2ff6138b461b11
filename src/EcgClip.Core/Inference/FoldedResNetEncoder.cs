using EcgClip.Core.Abstractions;
using EcgClip.Core.Encoders;
using EcgClip.Core.Heads;
using EcgClip.Core.Precision;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgClip.Core.Inference;

/// <summary>
/// The eval-only form of a trained <see cref="ResNetEcgEncoder"/> (built by <see cref="InferenceEncoder.Create"/>): every
/// Conv+BN pair folded into one biased convolution, ReLUs and residual adds in place, intermediates freed as soon as they
/// are consumed, the backbone's weights optionally in bfloat16, and <see cref="Encode"/> under <c>inference_mode</c>. The
/// pooling head (linear / MLP projection or attention pooling) is a float32 copy of the trained one.
/// </summary>
/// <remarks>
/// Component names: <c>stem.{weight,bias}</c>, <c>blocks.{i}.conv1.*</c>, <c>blocks.{i}.conv2.*</c>,
/// <c>blocks.{i}.downsample.*</c> (blocks numbered across stages) and <c>head.*</c> (the trained encoder's
/// <c>projection.*</c> or <c>pool.*</c>). A derived artefact: save the trained encoder, not this one.
/// </remarks>
internal sealed class FoldedResNetEncoder : nn.Module<Tensor, Tensor>, IEcgEncoder
{
    private readonly FoldedConv1d stem;
    private readonly MaxPool1d? maxpool;
    private readonly ModuleList<FoldedBasicBlock1d> blocks;
    private readonly nn.Module<Tensor, Tensor>? head;
    private readonly bool _attention;
    private readonly EncoderConfig _config;
    private readonly bool _channelsLast;

    public FoldedResNetEncoder(ResNetEcgEncoder trained, ComputePrecision precision, Bf16Kernels kernels = Bf16Kernels.Auto) : base("ecg_inference_encoder")
    {
        _config = trained.Config;
        var device = trained.parameters().First().device;
        _channelsLast = ActivationLayouts.UseChannelsLast(trained.Layout, device.type);
        Precision = precision;
        var modules = trained.named_modules().ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
        var config = trained.Config;
        stem = Fold(modules, "backbone.conv1", "backbone.bn1", 2, config.StemKernel / 2);
        if (config.StemPool) maxpool = nn.MaxPool1d(3, stride: 2, padding: 1);
        blocks = new ModuleList<FoldedBasicBlock1d>();
        int current = config.Widths[0];
        for (int s = 0; s < config.Layers.Count; s++)
        {
            for (int b = 0; b < config.Layers[s]; b++)
            {
                int stride = (s > 0 && b == 0) ? 2 : 1;
                string p = $"backbone.stages.{s}.{b}.";
                var conv1 = Fold(modules, p + "conv1", p + "bn1", stride, config.BlockKernel / 2);
                var conv2 = Fold(modules, p + "conv2", p + "bn2", 1, config.BlockKernel / 2);
                var down = modules.ContainsKey(p + "downsample.0") ? Fold(modules, p + "downsample.0", p + "downsample.1", stride, 0) : null;
                blocks.Add(new FoldedBasicBlock1d($"block{s}.{b}", conv1, conv2, down));
                current = config.Widths[s];
            }
        }
        _attention = config.Pooling == "attention";
        string? headName = _attention ? "pool" : config.EmbeddingDim > 0 ? "projection" : null;
        if (headName is not null)
        {
            head = _attention
                ? new AttentionPool1d(current, config.AttentionLength, config.EmbeddingDim, config.AttentionHeads, config.EmbeddingDim)
                : ProjectionHead.Create(config.Projection, current, config.EmbeddingDim, config.ProjectionHiddenDim,
                    config.ProjectionActivation == "relu" ? ProjectionActivation.Relu : ProjectionActivation.Gelu);
            head.load_state_dict(modules[headName].state_dict());
            head.eval();
            foreach (var parameter in head.parameters()) parameter.requires_grad = false;
        }
        RegisterComponents();
        this.to(device);
        Kernels = precision == ComputePrecision.BFloat16 ? Bf16Execution.Resolve(kernels, device.ToString()) : Bf16Kernels.Native;
        if (precision == ComputePrecision.BFloat16 && Kernels == Bf16Kernels.Native)
        {
            stem.to(bfloat16);
            blocks.to(bfloat16);
        }
        else if (precision == ComputePrecision.BFloat16)
        {
            stem.EmulateBf16();
            foreach (var block in blocks) block.EmulateBf16();
        }
    }

    /// <summary>With <see cref="ComputePrecision.BFloat16"/>: whether bf16 runs on bf16 kernels or is emulated in float32.</summary>
    public Bf16Kernels Kernels { get; }

    private bool Emulated => Precision == ComputePrecision.BFloat16 && Kernels == Bf16Kernels.Float32Emulated;

    /// <summary>The precision the backbone computes in.</summary>
    public ComputePrecision Precision { get; }

    /// <inheritdoc />
    public int OutputDim => _config.OutputDim;

    /// <inheritdoc />
    public IReadOnlyList<string> Leads => _config.Leads;

    /// <inheritdoc />
    public double SamplingRate => _config.SamplingRate;

    /// <inheritdoc />
    public nn.Module Module => this;

    /// <inheritdoc />
    /// <remarks>Runs under <c>inference_mode</c>; the returned float32 embedding is an ordinary tensor (usable as input to a trained head).</remarks>
    public Tensor Encode(Tensor ecg)
    {
        Check(ecg);
        using var scope = NewDisposeScope();
        Tensor output;
        using (var mode = torch.inference_mode())
            output = forward(ecg);
        return output.clone().MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    /// <remarks>Runs with autograd as the caller has it (so gradients with respect to the input work); the feature map is float32.</remarks>
    public EcgEncoding EncodeWithFeatureMap(Tensor ecg)
    {
        Check(ecg);
        using var scope = NewDisposeScope();
        var map = FeatureMap(ecg).to(float32).contiguous();
        var output = Pool(map);
        return new EcgEncoding(output.MoveToOuterDisposeScope(), map.MoveToOuterDisposeScope());
    }

    /// <summary>The embedding <c>[batch, OutputDim]</c> in float32.</summary>
    public override Tensor forward(Tensor ecg)
    {
        using var scope = NewDisposeScope();
        using var map = FeatureMap(ecg);
        return Pool(map).MoveToOuterDisposeScope();
    }

    private Tensor FeatureMap(Tensor ecg)
    {
        var input = Emulated ? Bf16Execution.RoundInPlace(ecg.to(float32, copy: true))
            : Precision == ComputePrecision.BFloat16 ? ecg.to(bfloat16) : ecg;
        if (_channelsLast)
        {
            var converted = ChannelsLastOps.ToChannelsLast(input);
            if (!ReferenceEquals(input, ecg)) input.Dispose();
            input = converted;
        }
        var y = stem.forward(input).relu_();
        if (!ReferenceEquals(input, ecg)) input.Dispose();
        if (maxpool is not null)
        {
            var pooled = _channelsLast ? ChannelsLastOps.StemMaxPool(y) : maxpool.forward(y);
            y.Dispose();
            y = pooled;
        }
        foreach (var block in blocks)
        {
            var next = block.forward(y);
            y.Dispose();
            y = next;
        }
        if (!_channelsLast) return y;
        var map = ChannelsLastOps.FromChannelsLast(y); // a view sharing y's storage
        y.Dispose();
        return map;
    }

    private Tensor Pool(Tensor map)
    {
        if (_attention) return head!.forward(map.to(float32));
        var pooled = map.mean([-1]);
        pooled = Emulated ? Bf16Execution.RoundInPlace(pooled) : pooled.to(float32); // the native path's mean is a bf16 tensor
        return head is null ? pooled : head.forward(pooled);
    }

    private void Check(Tensor ecg)
    {
        if (ecg.dim() != 3 || ecg.shape[1] != _config.Leads.Count)
            throw new ArgumentException($"expected ECG tensor [batch, {_config.Leads.Count}, samples], got [{string.Join(", ", ecg.shape)}]", nameof(ecg));
    }

    private FoldedConv1d Fold(Dictionary<string, nn.Module> modules, string conv, string norm, long stride, long padding)
    {
        if (!modules.TryGetValue(conv, out var c) || c is not Conv1d convolution)
            throw new ArgumentException($"trained encoder has no Conv1d '{conv}'");
        if (!modules.TryGetValue(norm, out var n) || n is not BatchNorm1d batchNorm)
            throw new ArgumentException($"trained encoder has no BatchNorm1d '{norm}'");
        if (convolution.bias is not null)
            throw new ArgumentException($"convolution '{conv}' has a bias; the ResNet encoders' convolutions have none");
        return FoldedConv1d.Fold(conv[(conv.LastIndexOf('.') + 1)..], convolution.weight!, batchNorm, stride, padding, _channelsLast);
    }
}
