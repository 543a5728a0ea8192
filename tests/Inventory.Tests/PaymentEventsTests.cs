using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Messaging;
using TestSupport;

namespace Inventory.Tests;

public sealed class PaymentEventsTests(PaymentEventsFixture inventory) : IClassFixture<PaymentEventsFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_payment_succeeded_event_delivered_twice_commits_the_reservation_once()
    {
        var product = await inventory.NewProductAsync(onHand: 10);
        var reservation = await ReserveAsync(product, 3);
        var succeeded = await SucceededAsync(reservation, Guid.CreateVersion7());
        using var metrics = new MetricsRecorder(inventory.Services);

        await SendAsync(succeeded);
        await SendAsync(succeeded);

        await WaitForStatusAsync(reservation, "committed");
        Assert.True(await TestQueues.WaitUntilEmptyAsync(inventory.InventoryQueueUrl, Patience), "both deliveries should be handled and deleted");
        Assert.Equal((7, 0), Levels(await inventory.StockAsync(product)));
        Assert.Equal(1, metrics.Sum("reservations.committed"));
        await Eventually.HoldsAsync(() => Task.FromResult(metrics.Sum("events.received", ("event.type", EventTypes.PaymentSucceeded)) == 2),
            "both deliveries being counted");
        Assert.Equal(1, metrics.Sum("events.received", ("event.type", EventTypes.PaymentSucceeded), ("outcome", "handled")));
        Assert.Equal(1, metrics.Sum("events.received", ("event.type", EventTypes.PaymentSucceeded), ("outcome", "duplicate")));
    }

    [Theory]
    [InlineData(EventTypes.PaymentFailed)]
    [InlineData(EventTypes.PaymentCanceled)]
    public async Task A_failed_or_canceled_payment_releases_the_reservation(string type)
    {
        var product = await inventory.NewProductAsync(onHand: 4);
        var reservation = await ReserveAsync(product, 4);

        await SendAsync(Event(type, new { paymentId = Guid.CreateVersion7(), reservationId = reservation, reason = "card_declined" }));

        await WaitForStatusAsync(reservation, "released");
        Assert.Equal((4, 0), Levels(await inventory.StockAsync(product)));
    }

    [Fact]
    public async Task A_payment_for_an_expired_reservation_still_commits_while_the_stock_is_there()
    {
        var product = await inventory.NewProductAsync(onHand: 5);
        var reservation = await ReserveAsync(product, 2);
        await ExpireAllAsync();

        await SendAsync(await SucceededAsync(reservation, Guid.CreateVersion7()));

        await WaitForStatusAsync(reservation, "committed");
        Assert.Equal((3, 0), Levels(await inventory.StockAsync(product)));
    }

    [Fact]
    public async Task A_payment_for_an_expired_reservation_whose_stock_is_gone_publishes_commit_failed_and_takes_nothing()
    {
        var product = await inventory.NewProductAsync(onHand: 2);
        var reservation = await ReserveAsync(product, 2);
        await ExpireAllAsync();
        await ReserveAsync(product, 1); // someone else takes one of the two
        var payment = Guid.CreateVersion7();

        await SendAsync(await SucceededAsync(reservation, payment));

        var published = await TestQueues.WaitForAsync(inventory.PaymentsQueueUrl,
            body => body.Contains(reservation.ToString(), StringComparison.Ordinal), Patience);
        Assert.NotNull(published);
        var envelope = JsonSerializer.Deserialize<EventEnvelope>(published, EventEnvelope.Json)!;
        Assert.Equal(EventTypes.ReservationCommitFailed, envelope.Type);
        Assert.Equal("inventory", envelope.Source);
        var data = envelope.DataAs<ReservationCommitFailed>();
        Assert.Equal((reservation, payment), (data.ReservationId, data.PaymentId));
        Assert.Equal((2, 1), Levels(await inventory.StockAsync(product)));
        Assert.Equal("released", await StatusAsync(reservation));
    }

    [Fact]
    public async Task A_second_payment_for_a_committed_reservation_is_sent_back_for_a_refund()
    {
        var product = await inventory.NewProductAsync(onHand: 5);
        var reservation = await ReserveAsync(product, 1);
        await SendAsync(await SucceededAsync(reservation, Guid.CreateVersion7()));
        await WaitForStatusAsync(reservation, "committed");
        var second = Guid.CreateVersion7();

        await SendAsync(await SucceededAsync(reservation, second));

        var published = await TestQueues.WaitForAsync(inventory.PaymentsQueueUrl, body => body.Contains(second.ToString(), StringComparison.Ordinal), Patience);
        Assert.NotNull(published);
        Assert.Equal((4, 0), Levels(await inventory.StockAsync(product)));
    }

    [Fact]
    public async Task A_committed_reservation_cannot_be_released()
    {
        var product = await inventory.NewProductAsync(onHand: 5);
        var reservation = await ReserveAsync(product, 2);
        await SendAsync(await SucceededAsync(reservation, Guid.CreateVersion7()));
        await WaitForStatusAsync(reservation, "committed");

        var response = await inventory.ClientWithToken(TestTokens.Admin()).PostAsync($"/api/inventory/reservations/{reservation}/release", null);

        Assert.Equal(System.Net.HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal((3, 0), Levels(await inventory.StockAsync(product)));
    }

    [Fact]
    public async Task A_message_that_keeps_failing_ends_in_the_dead_letter_queue()
    {
        var poison = Event(EventTypes.PaymentSucceeded, new { amountCents = 100 }); // no reservation id: can never succeed

        await SendAsync(poison);

        var deadLettered = await TestQueues.WaitForAsync(inventory.InventoryDeadLetterUrl,
            body => body.Contains(poison.Id.ToString(), StringComparison.Ordinal), TimeSpan.FromSeconds(45));
        Assert.NotNull(deadLettered);
    }

    [Fact]
    public async Task A_rejected_events_dead_lettering_is_done_in_its_span_which_ends_in_error()
    {
        var finished = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is MessagingTrace.SourceName or "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = finished.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var reservation = await ReserveAsync(await inventory.NewProductAsync(onHand: 5), 1);
        var reserved = await ReservationAsync(reservation);
        var shortPaid = Event(EventTypes.PaymentSucceeded, new PaymentSucceeded(Guid.CreateVersion7(), reservation,
            reserved.GetProperty("customerId").GetGuid(), reserved.GetProperty("totalCents").GetInt64() - 1, reserved.GetProperty("currency").GetString()!));

        await SendAsync(shortPaid);

        Activity? Process() => finished.FirstOrDefault(span =>
            span.Kind == ActivityKind.Consumer && (string?)span.GetTagItem(MessagingTrace.MessageIdTag) == shortPaid.Id.ToString());
        await Eventually.HoldsAsync(() => Task.FromResult(Process() is not null), "the event's span ending");
        var process = Process()!;
        Assert.Equal(ActivityStatusCode.Error, process.Status);
        // Sent to the dead-letter queue, then deleted from its own: both calls are in the event's trace, under its span.
        var calls = finished.Count(span => span.Source.Name == "System.Net.Http" && span.ParentSpanId == process.SpanId);
        Assert.True(calls >= 2, $"{calls} calls to SQS under the span of the event that was dead-lettered");
    }

    [Theory]
    [InlineData("customer")]
    [InlineData("amount")]
    [InlineData("currency")]
    public async Task API10_a_payment_that_does_not_match_its_reservation_is_dead_lettered_with_the_reason_and_changes_nothing(string mismatch)
    {
        var product = await inventory.NewProductAsync(onHand: 5);
        var reservation = await ReserveAsync(product, 2);
        var reserved = await ReservationAsync(reservation);
        var paid = new PaymentSucceeded(Guid.CreateVersion7(), reservation,
            mismatch == "customer" ? Guid.CreateVersion7() : reserved.GetProperty("customerId").GetGuid(),
            reserved.GetProperty("totalCents").GetInt64() - (mismatch == "amount" ? 1 : 0),
            mismatch == "currency" ? "USD" : reserved.GetProperty("currency").GetString()!);
        var succeeded = Event(EventTypes.PaymentSucceeded, paid);
        using var metrics = new MetricsRecorder(inventory.Services);

        await SendAsync(succeeded);

        var deadLettered = await TestQueues.WaitForMessageAsync(inventory.InventoryDeadLetterUrl,
            body => body.Contains(succeeded.Id.ToString(), StringComparison.Ordinal), Patience);
        Assert.NotNull(deadLettered);
        Assert.Contains("does not match",
            deadLettered.MessageAttributes[Platform.Messaging.SqsEventConsumer<Inventory.Events.InventoryQueueProcessor>.RejectedReasonAttribute].StringValue,
            StringComparison.Ordinal);
        Assert.Equal("pending", await StatusAsync(reservation));
        Assert.Equal((5, 2), Levels(await inventory.StockAsync(product)));
        // Counted once the message has left the queue, just after it reached the dead-letter queue.
        await Eventually.HoldsAsync(
            () => Task.FromResult(metrics.Sum("events.received", ("event.type", EventTypes.PaymentSucceeded), ("outcome", "dead_lettered")) == 1),
            "the dead-lettered event being counted");
        Assert.Equal(0, metrics.Sum("reservations.committed"));
    }

    private static (int OnHand, int Reserved) Levels(Domain.StockLevel stock) => (stock.OnHand, stock.Reserved);

    private static EventEnvelope Event(string type, object data) => EventEnvelope.Create(type, "payments", data, DateTimeOffset.UtcNow);

    /// <summary>payment.succeeded for <paramref name="reservation"/> as payments would publish it: its owner, total and currency.</summary>
    private async Task<EventEnvelope> SucceededAsync(Guid reservation, Guid payment)
    {
        var reserved = await ReservationAsync(reservation);
        return Event(EventTypes.PaymentSucceeded, new PaymentSucceeded(
            payment, reservation, reserved.GetProperty("customerId").GetGuid(), reserved.GetProperty("totalCents").GetInt64(),
            reserved.GetProperty("currency").GetString()!));
    }

    private Task<Amazon.SQS.Model.SendMessageResponse> SendAsync(EventEnvelope envelope) =>
        TestQueues.Client.SendMessageAsync(inventory.InventoryQueueUrl, JsonSerializer.Serialize(envelope, EventEnvelope.Json));

    private async Task<Guid> ReserveAsync(Guid product, int quantity) =>
        Guid.Parse((await inventory.ReserveAsync(product, quantity)).Split('/')[^1]);

    /// <summary>Moves the clock past every reservation's expiry and sweeps, as the sweeper would.</summary>
    private async Task ExpireAllAsync()
    {
        inventory.Clock.Advance(TimeSpan.FromMinutes(16));
        var sweeper = Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<Inventory.Reservations.ReservationSweeper>(inventory.Services);
        while (await sweeper.SweepOnceAsync(CancellationToken.None) > 0)
        {
        }
    }

    private async Task<JsonElement> ReservationAsync(Guid reservation) =>
        await inventory.ClientWithToken(TestTokens.Admin()).GetFromJsonAsync<JsonElement>($"/api/inventory/reservations/{reservation}");

    private async Task<string> StatusAsync(Guid reservation) => (await ReservationAsync(reservation)).GetProperty("status").GetString()!;

    private Task WaitForStatusAsync(Guid reservation, string status) =>
        Eventually.HoldsAsync(async () => await StatusAsync(reservation) == status, $"the reservation becoming {status}");
}
