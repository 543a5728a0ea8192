using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace TestSupport;

/// <summary>
/// The measurements one test host's meters make while it lives (only that host's: its <see cref="IMeterFactory"/> is
/// their scope), so hosts running side by side in the test process do not count into each other.
/// </summary>
public sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();

    public MetricsRecorder(IServiceProvider host)
    {
        var meters = host.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == meters)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            _measurements.Enqueue(new Measurement(instrument.Name, instrument.Unit, value, tags.ToArray())));
        _listener.Start();
    }

    public sealed record Measurement(string Name, string? Unit, long Value, KeyValuePair<string, object?>[] Tags);

    public IReadOnlyCollection<Measurement> Measurements => _measurements;

    /// <summary>The sum of <paramref name="instrument"/>'s measurements that carry every one of <paramref name="tags"/>.</summary>
    public long Sum(string instrument, params (string Key, string Value)[] tags) =>
        _measurements.Where(m => m.Name == instrument && tags.All(t => m.Tags.Any(tag => tag.Key == t.Key && Equals(tag.Value, t.Value)))).Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();
}
