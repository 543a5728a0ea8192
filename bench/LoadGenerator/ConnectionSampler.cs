using Npgsql;

namespace LoadGenerator;

/// <summary>
/// What the sampler saw: connections open at the first sample, at the peak, the peak of those not idle (in a query or a
/// transaction), and the peak of those idle inside a transaction (held while the service waits on something else).
/// </summary>
public sealed record ConnectionPeak(long AtStart, long Peak, long PeakBusy, long PeakIdleInTransaction, int Samples);

/// <summary>
/// The PostgreSQL connections a service holds, counted in <c>pg_stat_activity</c> by the application name its data
/// source sets (the service's name), every 100 ms while it runs: the peak is what its pool really opened (idle pooled
/// connections included), the busy peak what was in a query or a transaction at once.
/// </summary>
public sealed class ConnectionSampler(string databaseConnection, string applicationName) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(databaseConnection);
    private readonly CancellationTokenSource _stop = new();
    private Task<ConnectionPeak>? _sampling;

    public void Start() => _sampling = SampleAsync(_stop.Token);

    public async Task<ConnectionPeak> StopAsync()
    {
        await _stop.CancelAsync();
        return await (_sampling ?? throw new InvalidOperationException("the sampler was not started"));
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Dispose();
        await _source.DisposeAsync();
    }

    private async Task<ConnectionPeak> SampleAsync(CancellationToken stop)
    {
        long? atStart = null;
        long peak = 0, peakBusy = 0, peakIdleInTransaction = 0;
        var samples = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        do
        {
            await using var command = _source.CreateCommand(
                """
                SELECT count(*) AS open, count(*) FILTER (WHERE state <> 'idle') AS busy,
                       count(*) FILTER (WHERE state = 'idle in transaction') AS idle_in_transaction
                FROM pg_stat_activity WHERE application_name = @name
                """);
            command.Parameters.AddWithValue("name", applicationName);
            await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
            await reader.ReadAsync(CancellationToken.None);
            var open = (long)reader["open"];
            atStart ??= open;
            peak = Math.Max(peak, open);
            peakBusy = Math.Max(peakBusy, (long)reader["busy"]);
            peakIdleInTransaction = Math.Max(peakIdleInTransaction, (long)reader["idle_in_transaction"]);
            samples++;
        }
        while (await Tick(timer, stop));

        return new ConnectionPeak(atStart ?? 0, peak, peakBusy, peakIdleInTransaction, samples);
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return false;
        }
    }
}
