using System.Diagnostics;
using Platform.Messaging;
using Platform.Observability;

namespace Platform.Tests;

/// <summary>
/// Work that goes on a trace begun elsewhere (a checkout's later step, an event through SQS, a batch done for several
/// requests) goes on in that trace under the platform's sampler whether or not the trace is sampled: nine traces in ten
/// are not, and their ids must still reach the logs of every step.
/// </summary>
public sealed class KeptTraceTests
{
    [Theory]
    [InlineData(ActivityTraceFlags.None)]
    [InlineData(ActivityTraceFlags.Recorded)]
    public async Task A_kept_trace_goes_on_in_a_later_step_and_across_the_queue_sampled_or_not(ActivityTraceFlags flags)
    {
        await using var app = await PlatformTestApp.StartAsync(new() { ["OTEL_TRACES_SAMPLER_ARG"] = "0.1" });
        var kept = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), flags);
        var traceParent = $"00-{kept.TraceId}-{kept.SpanId}-{(flags == ActivityTraceFlags.Recorded ? "01" : "00")}";

        using (var request = new Activity("POST /orders/{id}").SetIdFormat(ActivityIdFormat.W3C).Start())
        using (var step = ApplicationTraces.Continue("checkout payment", traceParent))
        {
            AssertContinues(kept, step);
            Assert.Same(step, Activity.Current);
            // The request doing the step is linked to it, so its own trace leads to the checkout's.
            Assert.Equal(request.Context, Assert.Single(step!.Links).Context);
        }

        using (var process = MessagingTrace.Start("process payment.succeeded", ActivityKind.Consumer, traceParent, Guid.NewGuid(), "inventory-events"))
        {
            AssertContinues(kept, process);
        }

        using var batch = ApplicationTraces.StartOnBehalfOf("reservations decide", [kept]);
        AssertContinues(kept, batch);
    }

    [Fact]
    public void Nothing_kept_leaves_the_work_in_the_current_trace()
    {
        Assert.Null(ApplicationTraces.Continue("checkout payment", null));
        Assert.Null(ApplicationTraces.Continue("checkout payment", "not a traceparent"));
    }

    private static void AssertContinues(ActivityContext kept, Activity? span)
    {
        Assert.NotNull(span);
        Assert.Equal((kept.TraceId, kept.SpanId), (span.TraceId, span.ParentSpanId));
        Assert.Equal(kept.TraceFlags.HasFlag(ActivityTraceFlags.Recorded), span.Recorded);
    }
}
