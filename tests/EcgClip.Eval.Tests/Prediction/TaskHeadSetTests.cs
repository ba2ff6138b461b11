using EcgClip.Core.Abstractions;
using EcgClip.Core.Heads;
using EcgClip.Core.SafeTensors;
using EcgClip.Eval.Prediction;
using static TorchSharp.torch;

namespace EcgClip.Eval.Tests.Prediction;

public sealed class TaskHeadSetTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ecgclip-heads-" + Guid.NewGuid().ToString("N"));

    public TaskHeadSetTests() => EcgClip.Core.Native.TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    [Fact]
    public void SaveThenLoad_GivesIdenticalPredictionsAndDescriptions()
    {
        using var heads = PredictionTestModels.Heads(8);
        heads.Save(_dir);
        using var loaded = TaskHeadSet.Load(_dir);
        Assert.Equal(heads.Specs.Select(s => (s.Task, s.Kind, string.Join(",", s.Outputs), s.InputDim)),
                     loaded.Specs.Select(s => (s.Task, s.Kind, string.Join(",", s.Outputs), s.InputDim)));
        using var x = randn(4, 8);
        for (int i = 0; i < heads.Count; i++)
        {
            using var a = heads[i].Head.Predict(x);
            using var b = loaded[i].Head.Predict(x);
            Assert.Equal(0f, (a - b).abs().max().item<float>());
        }
    }

    [Fact]
    public void Load_WithAMissingAndAnUnexpectedTensor_NamesBoth()
    {
        using (var heads = PredictionTestModels.Heads(8)) heads.Save(_dir);
        string path = Path.Combine(_dir, TaskHeadSet.TensorFile);
        Dictionary<string, (float[], long[])> tensors;
        using (var file = SafeTensorsFile.Open(path))
            tensors = file.Tensors.Keys.Where(k => k != "age.linear.bias").ToDictionary(k => k, k => (file.ReadFloat32(k), file.Tensors[k].Shape.ToArray()));
        tensors["age.extra"] = (new float[3], [3]);
        SafeTensorsWriter.WriteFloat32(path, tensors);

        var ex = Assert.Throws<TaskHeadFormatException>(() => TaskHeadSet.Load(_dir));
        Assert.Equal(path, ex.Path);
        Assert.Contains("missing 'age.linear.bias'", ex.Reason);
        Assert.Contains("unexpected 'age.extra'", ex.Reason);
    }

    [Fact]
    public void Load_WithAMisshapenTensor_NamesItsShapes()
    {
        using (var heads = PredictionTestModels.Heads(8)) heads.Save(_dir);
        File.WriteAllText(Path.Combine(_dir, TaskHeadSet.DescriptionFile),
            File.ReadAllText(Path.Combine(_dir, TaskHeadSet.DescriptionFile)).Replace("\"inputDim\": 8", "\"inputDim\": 16"));
        var ex = Assert.Throws<TaskHeadFormatException>(() => TaskHeadSet.Load(_dir));
        Assert.Contains("shape [5, 8], the head needs [5, 16]", ex.Reason);
    }

    [Fact]
    public void Load_CorruptDescription_IsATypedErrorNamingTheFile()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, TaskHeadSet.DescriptionFile), "{ not json");
        var ex = Assert.Throws<TaskHeadFormatException>(() => TaskHeadSet.Load(_dir));
        Assert.EndsWith(TaskHeadSet.DescriptionFile, ex.Path);
    }

    [Fact]
    public void Constructor_RefusesOutputNamesThatDoNotMatchTheHead()
    {
        using var head = new LinearTaskHead(TaskKind.Multilabel, 8, 3);
        Assert.Throws<ArgumentException>(() => new TaskHeadSet([(new TaskHeadSpec("x", TaskKind.Multilabel, ["a", "b"], 8), head)]));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
