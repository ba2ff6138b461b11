using EcgClip.Eval.Metrics;

namespace EcgClip.Eval.Tests.Metrics;

public sealed class BinaryTaskDataTests
{
    [Fact]
    public void FromRowMajor_Transposes_ColumnsAreTasks()
    {
        var d = BinaryTaskData.FromRowMajor(new double[] { 1, 0, 0, 1, 1, 1 }, new double[] { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6 }, 3, 2);
        Assert.Equal(new[] { true, false, true }, d.Labels(0).ToArray());
        Assert.Equal(new[] { 0.2, 0.4, 0.6 }, d.Scores(1).ToArray());
        Assert.Equal(new[] { "task_0", "task_1" }, d.TaskNames);
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(-1.0)]
    [InlineData(0.5)]
    [InlineData(double.NaN)]
    public void FromRowMajor_LabelNotZeroOrOne_ThrowsNamingCell(double bad)
    {
        var ex = Assert.Throws<ArgumentException>(() => BinaryTaskData.FromRowMajor(new[] { 0, bad }, new[] { 0.1, 0.2 }, 2, 1));
        Assert.Contains("row 1", ex.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void FromRowMajor_NonFiniteScore_Throws(double bad)
    {
        var ex = Assert.Throws<ArgumentException>(() => BinaryTaskData.FromRowMajor(new double[] { 0, 1 }, new[] { 0.1, bad }, 2, 1));
        Assert.Contains("finite", ex.Message);
    }

    [Fact]
    public void FromRowMajor_ShapeMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => BinaryTaskData.FromRowMajor(new double[] { 0, 1, 0 }, new[] { 0.1, 0.2 }, 2, 1));
        Assert.Throws<ArgumentException>(() => BinaryTaskData.FromRowMajor(new double[] { 0, 1 }, new[] { 0.1, 0.2 }, 2, 1, ["a", "b"]));
    }

    [Fact]
    public void FromRowMajor_Empty_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => BinaryTaskData.FromRowMajor(ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty, 0, 1));
        Assert.Contains("empty", ex.Message);
    }
}
