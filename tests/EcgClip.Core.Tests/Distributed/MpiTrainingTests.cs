using System.Text.Json;
using EcgClip.Testing;

namespace EcgClip.Core.Tests.Distributed;

/// <summary>Two MPI ranks (mpiexec -n 2) training the BatchNorm-free tiny CLIP model, checked step by step.</summary>
[Collection(MpiCollection.Name)]
public sealed class MpiTrainingTests
{
    [MpiFact]
    public void Train_TwoRanks_BitIdenticalParametersAndSingleProcessGradientsEveryStep()
    {
        var dir = Directory.CreateTempSubdirectory("ecgclip-mpi-train-").FullName;
        try
        {
            var run = MpiHost.Run(2, TimeSpan.FromSeconds(180), "train", "--out", dir, "--steps", "6", "--batch", "8");
            Assert.True(run.ExitCode == 0, $"mpiexec exited {run.ExitCode}:\n{run.Output}");
            using var rank0 = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "rank0.json")));
            using var rank1 = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "rank1.json")));
            var r0 = rank0.RootElement;
            var r1 = rank1.RootElement;
            Assert.Equal(2, r0.GetProperty("worldSize").GetInt32());
            Assert.Equal("mpi", r1.GetProperty("backend").GetString());
            // Rank 1 started from perturbed weights: the broadcast from rank 0 must have made them equal.
            Assert.NotEqual(r0.GetProperty("digestBeforeBroadcast").GetString(), r1.GetProperty("digestBeforeBroadcast").GetString());
            Assert.Equal(r0.GetProperty("digestAfterBroadcast").GetString(), r1.GetProperty("digestAfterBroadcast").GetString());
            var steps0 = r0.GetProperty("steps").EnumerateArray().ToArray();
            var steps1 = r1.GetProperty("steps").EnumerateArray().ToArray();
            Assert.Equal(6, steps0.Length);
            Assert.Equal(6, steps1.Length);
            var digests = new HashSet<string>();
            for (int s = 0; s < steps0.Length; s++)
            {
                foreach (var step in new[] { steps0[s], steps1[s] })
                {
                    Assert.True(step.GetProperty("GradientDifference").GetDouble() < 1e-5, $"step {s}: all-reduced gradient differs from single-process: {step}");
                    Assert.True(step.GetProperty("LossDifference").GetDouble() < 1e-6, $"step {s}: loss differs: {step}");
                    Assert.True(step.GetProperty("EmbeddingGradientDifference").GetDouble() < 1e-6, $"step {s}: embedding gradient differs: {step}");
                    Assert.True(step.GetProperty("NaiveAverageDifference").GetDouble() > 1e-3, $"step {s}: DDP-style averaging should be visibly wrong: {step}");
                }
                string digest = steps0[s].GetProperty("Digest").GetString()!;
                Assert.Equal(digest, steps1[s].GetProperty("Digest").GetString());
                Assert.Equal(steps0[s].GetProperty("Loss").GetDouble(), steps1[s].GetProperty("Loss").GetDouble());
                Assert.True(digests.Add(digest), $"step {s}: parameters did not change");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [MpiFact]
    public void Collectives_TwoRanks_EveryDtypeAndAgreementAsSpecified()
    {
        var dir = Directory.CreateTempSubdirectory("ecgclip-mpi-coll-").FullName;
        try
        {
            var run = MpiHost.Run(2, TimeSpan.FromSeconds(120), "collectives", "--out", dir);
            Assert.True(run.ExitCode == 0, $"mpiexec exited {run.ExitCode}:\n{run.Output}");
            for (int r = 0; r < 2; r++)
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, $"collectives{r}.json")));
                var j = doc.RootElement;
                Assert.Equal(new[] { 1.5f, 2f }, j.GetProperty("f32").EnumerateArray().Select(e => e.GetSingle()));
                Assert.Equal(1 + 2e-9, j.GetProperty("f64").GetDouble(), 15);
                Assert.Equal((2L << 40) + 1, j.GetProperty("i64").GetInt64());
                Assert.Equal(new long[] { 2, 3 }, j.GetProperty("gatheredShape").EnumerateArray().Select(e => e.GetInt64()));
                Assert.Equal(new[] { 10, 20, 30, 11, 21, 31 }, j.GetProperty("gathered").EnumerateArray().Select(e => e.GetInt32()));
                Assert.Equal(new[] { 0f, 1f }, j.GetProperty("scalarGather").EnumerateArray().Select(e => e.GetSingle()));
                Assert.Equal(new[] { 101f, 201f }, j.GetProperty("broadcast").EnumerateArray().Select(e => e.GetSingle()));
                Assert.True(j.GetProperty("any").GetBoolean());
                Assert.False(j.GetProperty("none").GetBoolean());
                var mismatch = j.GetProperty("mismatch").GetString();
                Assert.NotNull(mismatch);
                Assert.Contains("[1, 2]", mismatch);
                Assert.Contains("[2, 2]", mismatch);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
