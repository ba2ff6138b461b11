using TorchSharp;

namespace EcgClip.Core.Hosting;

/// <summary>Turns a device string ("cpu", "cuda", "cuda:1", "auto") into a TorchSharp device.</summary>
public static class DeviceSelector
{
    /// <summary>Resolves <paramref name="device"/>; "auto" picks CUDA when available, else CPU.</summary>
    /// <exception cref="ArgumentException">CUDA was asked for but is not available, or the string is not a device.</exception>
    public static torch.Device Resolve(string device)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(device);
        string d = device.Trim().ToLowerInvariant();
        if (d == "auto") return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        if (d == "cpu") return torch.CPU;
        if (d.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
                throw new ArgumentException($"device '{device}' requested but CUDA is not available (TorchSharp-cpu, or no GPU/driver); use 'cpu' or 'auto'");
            return torch.device(d);
        }
        throw new ArgumentException($"unknown device '{device}'; use cpu, cuda, cuda:N or auto");
    }
}
