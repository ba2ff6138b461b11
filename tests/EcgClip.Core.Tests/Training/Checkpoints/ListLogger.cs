using Microsoft.Extensions.Logging;

namespace EcgClip.Core.Tests.Training.Checkpoints;

/// <summary>Collects formatted log messages.</summary>
internal sealed class ListLogger : ILogger
{
    public List<string> Messages { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Messages) Messages.Add($"{logLevel}: {formatter(state, exception)}");
    }
}
