using EcgClip.Core.Native;
using EcgClip.Core.Training;
using EcgClip.Signal.Dsp.Augmentation;
using EcgClip.Signal.Dsp.Preprocessing;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Training;

public sealed class PairedBatchPoolingTests
{
    public PairedBatchPoolingTests() => TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    private static PairedBatchLoader Loader(TinyTraining.SyntheticDataset data, bool augment, int views = 1, int prefetch = 2, params string[] skipIds)
    {
        var config = TinyTraining.Config();
        var augmenter = augment ? new EcgAugmenter(new AugmentationConfig { SamplingRateHz = 100, ScaleMin = 0.9, ScaleMax = 1.1, NoiseStd = 0.02 }) : null;
        return new PairedBatchLoader(data, data.Items.Where(i => !skipIds.Contains(i.Id)).ToList(), new PreprocessingPipeline(config.Preprocessing), augmenter,
            s => s.Trim().ToLowerInvariant(), new PairedLoaderOptions { BatchSize = 8, SampleLength = config.SampleLength, Views = views, Seed = 5, Prefetch = prefetch },
            new SkippedRecordLog());
    }

    [Fact]
    public void Pool_ReturnedBuffer_IsReusedAndPoisonedWithNaN()
    {
        var pool = new BatchBufferPool(16, 2);
        var a = pool.Rent();
        a.AsSpan().Fill(3);
        pool.Return(a);
        Assert.All(a, v => Assert.True(float.IsNaN(v)));
        Assert.Same(a, pool.Rent());
        Assert.Equal(1, pool.Allocated);
    }

    [Fact]
    public void Pool_KeepsAtMostItsCapacity_AndRejectsDoubleAndForeignReturns()
    {
        var pool = new BatchBufferPool(4, 2);
        var arrays = Enumerable.Range(0, 3).Select(_ => pool.Rent()).ToList();
        pool.Return(arrays[0]);
        Assert.Throws<InvalidOperationException>(() => pool.Return(arrays[0]));
        pool.Return(arrays[1]);
        pool.Return(arrays[2]);
        Assert.Equal(2, pool.Free);
        Assert.Throws<ArgumentException>(() => pool.Return(new float[5]));
    }

    [Fact]
    public void Batch_UsedAfterDispose_ThrowsInsteadOfReadingAnotherBatch()
    {
        var loader = Loader(new TinyTraining.SyntheticDataset(32, 0, 0), augment: true);
        var batch = loader.Prepare(0, 0);
        using (var x = batch.ViewTensor(0)) Assert.Equal([8L, 12, 64], x.shape);
        batch.Dispose();
        batch.Dispose(); // idempotent: the buffers go back once
        Assert.True(batch.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => batch.View(0).Length);
        Assert.Throws<ObjectDisposedException>(() => batch.ViewTensor(0));
        Assert.Equal(8, batch.Count); // the reports and items stay readable
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(true, 2)]
    [InlineData(false, 1)]
    [InlineData(false, 2)]
    public void Batches_ReuseTheirBuffers_WithTheSameSignalsAsFreshOnes(bool augment, int views)
    {
        var data = new TinyTraining.SyntheticDataset(48, 0, 0);
        // Reference: every batch prepared on its own loader, so nothing is ever reused.
        var expected = new List<float[][]>();
        for (int epoch = 0; epoch < 3; epoch++)
            for (int b = 0; b < 6; b++)
            {
                using var fresh = Loader(data, augment, views).Prepare(epoch, b);
                expected.Add(Enumerable.Range(0, fresh.ViewCount).Select(v => fresh.View(v).ToArray()).ToArray());
            }
        var loader = Loader(data, augment, views);
        int k = 0;
        for (int epoch = 0; epoch < 3; epoch++)
            foreach (var batch in loader.Batches(epoch))
            {
                using var owned = batch;
                for (int v = 0; v < views; v++)
                {
                    Assert.Equal(expected[k][v], batch.View(v).ToArray());
                    using var x = batch.ViewTensor(v);
                    Assert.Equal(expected[k][v], x.data<float>().ToArray());
                }
                k++;
            }
        Assert.Equal(18, k);
        // 18 batches, but only what prefetch 2 + the batch in hand need at once was ever allocated.
        Assert.InRange(loader.Buffers.Allocated, 1, loader.Buffers.Capacity);
        if (views == 2 && augment) Assert.NotEqual(expected[0][0], expected[0][1]); // each view draws its own augmentation
        if (views == 2 && !augment) Assert.Equal(expected[0][0], expected[0][1]);
    }

    [Fact]
    public void Batches_WithASkippedRecord_HaveFewerRowsAndExactViews()
    {
        var loader = new PairedBatchLoader(new TinyTraining.SyntheticDataset(16, 0, 0, 64, "r0003"), new TinyTraining.SyntheticDataset(16, 0, 0).Items,
            new PreprocessingPipeline(TinyTraining.Config().Preprocessing), null, s => s, new PairedLoaderOptions { BatchSize = 8, SampleLength = 64, Shuffle = false },
            new SkippedRecordLog());
        var sizes = loader.Batches(0).Select(b => { using (b) return (b.Count, b.View(0).Length); }).ToList();
        Assert.Equal([(7, 7 * 12 * 64), (8, 8 * 12 * 64)], sizes);
        Assert.Equal(1, loader.Skipped.Count);
    }

    [Fact]
    public void Batches_StoppedEarly_GiveThePrefetchedBuffersBack()
    {
        var loader = Loader(new TinyTraining.SyntheticDataset(64, 0, 0), augment: false, prefetch: 3);
        foreach (var batch in loader.Batches(0))
        {
            batch.Dispose();
            break;
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (loader.Buffers.Free < loader.Buffers.Allocated && clock.Elapsed < TimeSpan.FromSeconds(20)) Thread.Sleep(10);
        Assert.Equal(loader.Buffers.Allocated, loader.Buffers.Free);
    }
}
