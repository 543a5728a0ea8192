using Microsoft.Extensions.Logging.Abstractions;
using Platform.Hosting;

namespace Platform.Tests;

public sealed class PollingWorkerTests
{
    [Fact]
    public async Task A_batch_that_times_out_is_tried_again_on_the_next_round_and_only_stopping_ends_the_worker()
    {
        using var worker = new TimingOutOnceWorker();
        await worker.StartAsync(CancellationToken.None);

        // An exception escaping a background service stops the host: a timeout must not be one (HttpClient's is a TaskCanceledException).
        var second = await Task.WhenAny(worker.SecondRound.Task, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.Same(worker.SecondRound.Task, second);
        Assert.False(worker.ExecuteTask!.IsCompleted, "the worker ended after a timed-out batch");

        await worker.StopAsync(CancellationToken.None);
        Assert.False(worker.ExecuteTask.IsFaulted, "stopping the host ends the worker without an error");
    }

    private sealed class TimingOutOnceWorker() : PollingWorker(TimeProvider.System, NullLogger.Instance)
    {
        private int _rounds;

        public TaskCompletionSource SecondRound { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override TimeSpan Interval => TimeSpan.FromMilliseconds(10);

        protected override async Task<bool> RunBatchAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _rounds) == 1)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(1));
                await Task.Delay(Timeout.InfiniteTimeSpan, timeout.Token); // a call that timed out
            }

            SecondRound.TrySetResult();
            return false;
        }
    }
}
