using EcgClip.Signal.Records;

namespace EcgClip.Signal.Tests.Records;

public class LeadNamesTests
{
    [Theory]
    [InlineData("AVL", Lead.AVL)]
    [InlineData("avl", Lead.AVL)]
    [InlineData("aVR", Lead.AVR)]
    [InlineData("Lead II", Lead.II)]
    [InlineData("MDC_ECG_LEAD_V3", Lead.V3)]
    [InlineData("iii", Lead.III)]
    [InlineData("v6", Lead.V6)]
    public void TryParse_VendorSpelling_MapsToCanonical(string name, Lead expected)
    {
        Assert.True(LeadNames.TryParse(name, out var lead));
        Assert.Equal(expected, lead);
    }

    [Theory]
    [InlineData("")]
    [InlineData("V7")]
    [InlineData("ECG")]
    public void TryParse_UnknownName_ReturnsFalse(string name) => Assert.False(LeadNames.TryParse(name, out _));
}
