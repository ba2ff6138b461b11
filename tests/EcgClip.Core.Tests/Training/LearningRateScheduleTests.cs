using EcgClip.Core.Training;

namespace EcgClip.Core.Tests.Training;

public sealed class LearningRateScheduleTests
{
    [Fact]
    public void Warm_up_is_linear_then_cosine_decays_to_the_floor()
    {
        var s = new LearningRateSchedule(1e-3, 4, 104, 0.1);
        Assert.Equal(0.25e-3, s.At(0), 15);
        Assert.Equal(1e-3, s.At(3), 15);
        Assert.Equal(1e-3, s.At(4), 15);
        Assert.Equal(1e-4 + 0.9e-3 * 0.5, s.At(54), 12);
        Assert.Equal(1e-4, s.At(104), 15);
        Assert.Equal(1e-4, s.At(500), 15);
        for (int i = 5; i < 104; i++) Assert.True(s.At(i) < s.At(i - 1));
    }

    [Fact]
    public void It_is_a_pure_function_of_the_step()
    {
        var s = new LearningRateSchedule(2e-3, 10, 50);
        double a = s.At(30);
        for (int i = 0; i < 50; i++) _ = s.At(i);
        Assert.Equal(a, s.At(30));
        Assert.Equal(a, new LearningRateSchedule(2e-3, 10, 50).At(30));
    }
}
