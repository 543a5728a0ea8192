using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payments.Data;
using Payments.Domain;
using Platform.Messaging;
using Stripe;
using EventTypes = Platform.Messaging.EventTypes;
using TestSupport;

namespace Payments.Tests;

/// <summary>Payments whose queue to inventory does not exist yet: SQS refuses every send until the test creates it.</summary>
public sealed class LateQueueFixture : PaymentsFixture
{
    public const string WebhookSecret = "whsec_test_outbox";

    public string InventoryQueue { get; } = $"payments-late-{Guid.NewGuid():N}";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["INVENTORY_QUEUE"] = InventoryQueue,
        ["WEBHOOK_ENDPOINT_SECRET"] = WebhookSecret,
    };
}

public sealed class OutboxTests(LateQueueFixture payments) : IClassFixture<LateQueueFixture>
{
    [Fact]
    public async Task An_event_committed_while_sqs_refuses_waits_in_the_measured_outbox_and_is_published_once_sqs_takes_it()
    {
        var payment = new Payment { CustomerId = Guid.CreateVersion7(), ReservationId = Guid.CreateVersion7(), AmountCents = 5_000, Currency = "EUR",
            Status = PaymentStatus.RequiresPaymentMethod, StripePaymentIntentId = $"pi_{Guid.NewGuid():N}" };
        await payments.SeedAsync<PaymentsDb>(db => db.Payments.Add(payment));
        using var metrics = new MetricsRecorder(payments.Services);

        var delivered = await DeliverSucceededAsync(payment.StripePaymentIntentId);
        await Task.Delay(TimeSpan.FromSeconds(3)); // the relay tries, and SQS has no such queue
        var (backlog, oldestAge) = (metrics.Observe("outbox.backlog"), metrics.Observe("outbox.oldest_age"));
        var (queueUrl, _) = await TestQueues.CreateAsync(payments.InventoryQueue);

        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.Equal(1, backlog);
        Assert.InRange(oldestAge, 1, 30);
        var published = await TestQueues.WaitForAsync(queueUrl,
            body => body.Contains(payment.Id.ToString(), StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.NotNull(published);
        Assert.Contains(EventTypes.PaymentSucceeded, published, StringComparison.Ordinal);
        await Eventually.HoldsAsync(() => Task.FromResult(metrics.Observe("outbox.backlog") == 0 && metrics.Observe("outbox.oldest_age") == 0),
            "the outbox measured empty once its event was sent");
    }

    [Fact]
    public async Task Nothing_is_published_for_a_change_that_was_rolled_back()
    {
        await using var scope = payments.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
        var envelope = EventEnvelope.Create(EventTypes.PaymentSucceeded, "payments", new { paymentId = Guid.CreateVersion7() }, DateTimeOffset.UtcNow);

        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Publish(payments.InventoryQueue, envelope);
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        });

        db.ChangeTracker.Clear();
        Assert.False(db.Set<OutboxMessage>().Any(m => m.Id == envelope.Id));
    }

    private Task<HttpResponseMessage> DeliverSucceededAsync(string paymentIntentId)
    {
        var body = StripeWebhook.Event("payment_intent.succeeded",
            new JsonObject { ["id"] = paymentIntentId, ["object"] = "payment_intent", ["status"] = "succeeded", ["amount"] = 5_000, ["currency"] = "eur" });
        return StripeWebhook.DeliverAsync(payments.CreateClient(), body, EventUtility.GenerateSignatureHeader(body, LateQueueFixture.WebhookSecret));
    }
}
