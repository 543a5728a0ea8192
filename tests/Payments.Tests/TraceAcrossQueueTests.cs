using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Platform.Messaging;
using Stripe;
using TestSupport;
using EventTypes = Platform.Messaging.EventTypes;

namespace Payments.Tests;

/// <summary>
/// A checkout's trace goes on through Stripe and SQS: the event a webhook causes is published in the trace of the request
/// that created the payment, and inventory handles it in that trace.
/// </summary>
public sealed class TraceAcrossQueueTests : IClassFixture<CheckoutStack>, IDisposable
{
    private readonly CheckoutStack _stack;
    private readonly Checkout _checkout;
    private readonly ConcurrentQueue<Activity> _finished = new();
    private readonly ActivityListener _listener;

    public TraceAcrossQueueTests(CheckoutStack stack)
    {
        _stack = stack;
        _checkout = new Checkout(stack);
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is MessagingTrace.SourceName or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _finished.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public async Task The_event_of_a_paid_checkout_is_published_and_handled_in_the_trace_of_the_request_that_created_the_payment()
    {
        var checkout = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var (customer, reservation) = await _checkout.NewReservationAsync();
        var created = await _checkout.PaidAsync(customer, reservation, traceParent: $"00-{checkout.TraceId}-{checkout.SpanId}-01");
        await _stack.Stripe.V1.PaymentIntents.ConfirmAsync(created.GetProperty("clientSecret").GetString()!.Split("_secret_")[0],
            new PaymentIntentConfirmOptions { PaymentMethod = "pm_card_visa" });
        await Eventually.HoldsAsync(async () => await _checkout.ReservationStatusAsync(reservation) == "committed", "inventory committing the reservation");

        var payment = created.GetProperty("id").GetString()!;
        var written = await _checkout.WithDbAsync(db => db.Set<OutboxMessage>().AsNoTracking()
            .SingleAsync(m => m.Type == EventTypes.PaymentSucceeded && m.Body.Contains(payment)));
        var eventId = written.Id.ToString();
        await Eventually.HoldsAsync(() => Task.FromResult(Span("process", eventId) is not null), "inventory's span for the event ending");

        var paymentRequest = ActivityContext.Parse(written.TraceParent!, traceState: null);
        var publish = Span("publish", eventId)!;
        var process = Span("process", eventId)!;
        Assert.Equal(checkout.TraceId, paymentRequest.TraceId);
        Assert.Contains(_finished, a => a.Source.Name == "Microsoft.AspNetCore" && a.SpanId == paymentRequest.SpanId && a.ParentSpanId == checkout.SpanId);
        Assert.Equal((paymentRequest.TraceId, paymentRequest.SpanId), (publish.TraceId, publish.ParentSpanId));
        Assert.Equal((publish.TraceId, publish.SpanId), (process.TraceId, process.ParentSpanId));
        Assert.Equal((ActivityKind.Producer, ActivityKind.Consumer), (publish.Kind, process.Kind));
    }

    [Fact]
    public async Task A_checkouts_trace_exports_spans_for_stripe_the_database_sqs_and_redis_and_none_for_idle_queue_polls()
    {
        var checkout = ActivityTraceId.CreateRandom();
        var (customer, reservation) = await _checkout.NewReservationAsync();
        var created = await _checkout.PaidAsync(customer, reservation, traceParent: $"00-{checkout}-{ActivitySpanId.CreateRandom()}-01");
        await _stack.Stripe.V1.PaymentIntents.ConfirmAsync(created.GetProperty("clientSecret").GetString()!.Split("_secret_")[0],
            new PaymentIntentConfirmOptions { PaymentMethod = "pm_card_visa" });
        await Eventually.HoldsAsync(() => Task.FromResult(_stack.Spans.InTrace(checkout).Any(s => s.Kind == ActivityKind.Consumer)),
            "inventory's span for the event");
        var productRead = ActivityTraceId.CreateRandom();
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/api/inventory/products/{await _checkout.NewProductAsync(1_000, onHand: 1)}");
        read.Headers.Add("traceparent", $"00-{productRead}-{ActivitySpanId.CreateRandom()}-01");
        (await _stack.Inventory.CreateClient().SendAsync(read)).EnsureSuccessStatusCode();

        var spans = _stack.Spans.InTrace(checkout);
        var trace = Describe(spans);
        // A message SQS accepted but whose answer was lost is sent again, under a second publish span: either will do.
        var publishes = spans.Where(s => s.Kind == ActivityKind.Producer).Select(s => s.SpanId).ToHashSet();
        Assert.True(spans.Any(s => IsHttpClient(s) && Url(s).StartsWith($"{_stack.StripeUrl}/v1/payment_intents", StringComparison.Ordinal)),
            $"no span for the call to Stripe in {trace}");
        Assert.True(spans.Any(s => s.Source.Name == "Npgsql"), $"no database span in {trace}");
        Assert.True(spans.Any(s => IsHttpClient(s) && publishes.Contains(s.ParentSpanId) && (string?)s.GetTagItem("rpc.method") == "SendMessage"
                && s.Status != ActivityStatusCode.Error),
            $"no SendMessage span under a publish span in {trace}");
        await Eventually.HoldsAsync(() => Task.FromResult(_stack.Spans.InTrace(productRead).Any(s => (string?)s.GetTagItem("db.system") == "redis")),
            "a span for the product read's Redis calls");
        var all = _stack.Spans.All();
        Assert.Contains(all, s => (string?)s.GetTagItem("rpc.service") == "AmazonSQS"); // the consumers' other calls are there
        var polls = all.Where(s => (string?)s.GetTagItem("rpc.method") == "ReceiveMessage").ToList();
        Assert.True(polls.Count == 0, $"spans for idle queue polls: {Describe(polls)}");
    }

    [Fact]
    public async Task A_reservations_statements_are_traced_in_the_span_of_its_batch_under_the_request()
    {
        var trace = ActivityTraceId.CreateRandom();
        var product = await _checkout.NewProductAsync(10_000, onHand: 5);
        using var reserve = new HttpRequestMessage(HttpMethod.Post, "/api/inventory/reservations")
        {
            Content = JsonContent.Create(new { locationId = _checkout.Location, items = new[] { new { productId = product, quantity = 1 } } }),
        };
        reserve.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        (await _stack.Inventory.ClientWithToken(TestTokens.Customer(Guid.CreateVersion7())).SendAsync(reserve)).EnsureSuccessStatusCode();

        await Eventually.HoldsAsync(() => Task.FromResult(_stack.Spans.InTrace(trace).Any(s => s.OperationName == "reservations decide")),
            "the span of the batch that decided the reservation");
        var spans = _stack.Spans.InTrace(trace);
        var request = spans.Single(s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server);
        var batch = spans.Single(s => s.OperationName == "reservations decide");
        Assert.Equal(request.SpanId, batch.ParentSpanId);
        Assert.Equal(1, batch.GetTagItem("reservations.batch.size"));
        Assert.True(spans.Count(s => s.Source.Name == "Npgsql" && s.ParentSpanId == batch.SpanId) >= 4,
            $"the batch's statements (locks, holdings, stock, insert) are not under its span: {Describe(spans)}");
    }

    private static string Describe(IEnumerable<Activity> spans) => string.Join("; ", spans.Select(s =>
        $"{s.Source.Name} {s.Kind} '{s.DisplayName}' {s.SpanId} under {s.ParentSpanId} ({s.Status}, rpc.method {s.GetTagItem("rpc.method") ?? "-"})"));

    public void Dispose() => _listener.Dispose();

    private static bool IsHttpClient(Activity span) => span.Source.Name == "System.Net.Http" && span.Kind == ActivityKind.Client;

    private static string Url(Activity span) => span.GetTagItem("url.full") as string ?? "";

    private Activity? Span(string operation, string eventId) =>
        _finished.FirstOrDefault(a => a.OperationName == $"{operation} {EventTypes.PaymentSucceeded}"
            && (string?)a.GetTagItem(MessagingTrace.MessageIdTag) == eventId);
}
