using EcgClip.Signal.Formats.Wfdb;

namespace EcgClip.Signal.Tests.Formats.Wfdb;

/// <summary>Every rdsamp reference output of wfdb-python's test suite is reproduced exactly.</summary>
public sealed class WfdbReaderOracleTests
{
    public static TheoryData<WfdbOracleCase> Cases => new(WfdbOracleCase.All);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Read_RdsampOracle_ValuesEqual(WfdbOracleCase c)
    {
        var oracle = c.LoadOracle();
        var record = WfdbReader.Read(c.RecordPath, new WfdbReadOptions { Channels = c.Channels, From = c.From, To = c.To, HighResolution = c.HighResolution });
        Assert.Equal(oracle.Length, record.SampleCount);
        Assert.Equal(oracle[0].Length, record.Channels.Count);
        for (int ch = 0; ch < record.Channels.Count; ch++)
        {
            var channel = record.Channels[ch];
            for (int t = 0; t < oracle.Length; t++)
            {
                double want = oracle[t][ch];
                if (c.Physical)
                {
                    double got = Math.Round(channel.Physical[t], 8, MidpointRounding.ToEven);
                    if (double.IsNaN(want)) Assert.True(double.IsNaN(channel.Physical[t]), $"{c}: row {t} ch {ch}: expected invalid, got {got}");
                    else Assert.True(Math.Abs(got - want) < 1e-12, $"{c}: row {t} ch {ch}: expected {want}, got {got}");
                }
                else
                {
                    int got = channel.Digital![t];
                    if (double.IsNaN(want)) Assert.True(got == channel.InvalidValue, $"{c}: row {t} ch {ch}: expected invalid, got {got}");
                    else Assert.True(got == want, $"{c}: row {t} ch {ch}: expected {want}, got {got}");
                }
            }
        }
    }
}
