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
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            _measurements.Enqueue(new Measurement(instrument.Name, instrument.Unit, value, tags.ToArray())));
        _listener.Start();
    }

    public sealed record Measurement(string Name, string? Unit, double Value, KeyValuePair<string, object?>[] Tags);

    public IReadOnlyCollection<Measurement> Measurements => _measurements;

    /// <summary>The sum of <paramref name="instrument"/>'s measurements (a counter's) that carry every one of <paramref name="tags"/>.</summary>
    public long Sum(string instrument, params (string Key, string Value)[] tags) =>
        (long)Values(instrument, tags).Sum();

    /// <summary>Every value <paramref name="instrument"/> recorded with every one of <paramref name="tags"/>, oldest first.</summary>
    public IReadOnlyList<double> Values(string instrument, params (string Key, string Value)[] tags) =>
        _measurements.Where(m => m.Name == instrument && tags.All(t => m.Tags.Any(tag => tag.Key == t.Key && Equals(tag.Value, t.Value))))
            .Select(m => m.Value).ToList();

    /// <summary>What the observable gauge <paramref name="instrument"/> reads now.</summary>
    public double Observe(string instrument)
    {
        var before = Values(instrument).Count;
        _listener.RecordObservableInstruments();
        return Values(instrument).Skip(before).Single();
    }

    public void Dispose() => _listener.Dispose();
}
