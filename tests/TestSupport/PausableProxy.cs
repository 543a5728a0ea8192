using System.Net;
using System.Net.Sockets;

namespace TestSupport;

/// <summary>
/// A TCP proxy in front of a dependency that can be paused: while paused it still accepts connections but moves no
/// byte either way, so the dependency looks hung (as a paused process or a black-holed network does), not refused.
/// Without a target it is a black hole from the start.
/// </summary>
public sealed class PausableProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint? _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _connections = [];
    private TaskCompletionSource _resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _accepting;

    private PausableProxy(IPEndPoint? target) => _target = target;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public bool IsPaused => !_resumed.Task.IsCompleted;

    /// <summary>Forwards to <paramref name="host"/>:<paramref name="port"/> until paused.</summary>
    public static PausableProxy To(string host, int port)
    {
        var address = host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);
        var proxy = new PausableProxy(new IPEndPoint(address, port));
        proxy._resumed.SetResult();
        return proxy.Started();
    }

    /// <summary>Accepts connections and never answers.</summary>
    public static PausableProxy BlackHole() => new PausableProxy(null).Started();

    public void Pause()
    {
        if (!IsPaused)
        {
            _resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Resume()
    {
        if (_target is null)
        {
            throw new InvalidOperationException("A black hole has nothing to resume.");
        }

        _resumed.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
        }

        if (_accepting is not null)
        {
            await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _stop.Dispose();
    }

    private PausableProxy Started()
    {
        _listener.Start();
        _accepting = AcceptAsync();
        return this;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Track(client);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            await WhileRunningAsync(_resumed.Task);
            if (_target is null)
            {
                return;
            }

            var server = new TcpClient();
            Track(server);
            await server.ConnectAsync(_target, _stop.Token);
            await Task.WhenAny(
                PumpAsync(client.GetStream(), server.GetStream()),
                PumpAsync(server.GetStream(), client.GetStream()));
            client.Dispose();
            server.Dispose();
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            client.Dispose(); // a side went away or the proxy stopped: the other side sees its connection close
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await from.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return;
            }

            await WhileRunningAsync(_resumed.Task); // paused: hold the bytes, as a hung process would
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }

    private async Task WhileRunningAsync(Task resumed) => await resumed.WaitAsync(_stop.Token);

    private void Track(TcpClient client)
    {
        lock (_connections)
        {
            _connections.Add(client);
        }
    }
}
