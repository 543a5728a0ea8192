using Amazon.SQS;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payments.Data;
using Platform.Messaging;
using TestSupport;
using EventTypes = Platform.Messaging.EventTypes;

namespace Payments.Tests;

/// <summary>Payments whose SQS client goes through a proxy the test can pause, so SQS hangs rather than refuses.</summary>
public sealed class PausableQueueFixture : PaymentsFixture
{
    private readonly Uri _sqs = new(TestEnvironment.AwsEndpoint);

    public PausableQueueFixture() => Sqs = PausableProxy.To(_sqs.Host, _sqs.Port);

    public PausableProxy Sqs { get; }

    public string InventoryQueue { get; } = $"payments-paused-{Guid.NewGuid():N}";

    public string InventoryQueueUrl { get; private set; } = "";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["INVENTORY_QUEUE"] = InventoryQueue };

    protected override async Task BeforeStartAsync() => InventoryQueueUrl = (await TestQueues.CreateAsync(InventoryQueue)).QueueUrl;

    /// <summary>
    /// The SDK's own timeout left at its default (100 s), so what ends a send into the hung SQS is the relay's bound on it.
    /// </summary>
    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.AddSingleton<IAmazonSQS>(new AmazonSQSClient(new AmazonSQSConfig
        {
            ServiceURL = $"{_sqs.Scheme}://{_sqs.Host}:{Sqs.Port}",
            AuthenticationRegion = TestEnvironment.Require("AWS_REGION"),
        }));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Sqs.DisposeAsync();
    }
}

public sealed class OutboxRelayTests(PausableQueueFixture payments) : IClassFixture<PausableQueueFixture>
{
    [Fact]
    public async Task While_sqs_hangs_the_relay_holds_no_lock_on_the_event_gives_it_back_and_sends_it_once_sqs_answers()
    {
        var envelope = EventEnvelope.Create(EventTypes.PaymentSucceeded, "payments", new { paymentId = Guid.CreateVersion7() }, DateTimeOffset.UtcNow);
        payments.Sqs.Pause();
        await payments.SeedAsync<PaymentsDb>(db => db.Publish(payments.InventoryQueue, envelope));

        // Claimed: the relay is now sending it into a SQS that does not answer. Claim, call, record: nothing is held.
        await Eventually.HoldsAsync(async () => (await MessageAsync(envelope.Id)).ClaimedUntil is not null, "the relay claiming the event");
        var claim = (await MessageAsync(envelope.Id)).ClaimedUntil;
        Assert.True(await CanLockAsync(envelope.Id), "the relay holds the event's row locked while it waits for SQS");
        var after = await MessageAsync(envelope.Id);
        Assert.True(after.ClaimedUntil == claim && after.SentAt is null, "the lock was tried after the send had ended, which proves nothing");
        await Eventually.HoldsAsync(async () => await MessageAsync(envelope.Id) is { ClaimedUntil: null, SentAt: null },
            "the relay giving the event back once its send timed out");

        payments.Sqs.Resume();
        var published = await TestQueues.WaitForAsync(payments.InventoryQueueUrl,
            body => body.Contains(envelope.Id.ToString(), StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.NotNull(published);
        await Eventually.HoldsAsync(async () => (await MessageAsync(envelope.Id)).SentAt is not null, "the event recorded as sent");
    }

    private async Task<OutboxMessage> MessageAsync(Guid id)
    {
        await using var scope = payments.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PaymentsDb>().Set<OutboxMessage>().AsNoTracking().SingleAsync(m => m.Id == id);
    }

    /// <summary>Whether another transaction can take the row's lock within half a second (the relay's own claim is shorter).</summary>
    private async Task<bool> CanLockAsync(Guid id)
    {
        await using var scope = payments.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            try
            {
                await db.Database.ExecuteSqlAsync($"SET LOCAL lock_timeout = '500ms'");
                await db.Database.ExecuteSqlAsync($"SELECT id FROM outbox_messages WHERE id = {id} FOR UPDATE");
                return true;
            }
            catch (Npgsql.PostgresException exception) when (exception.SqlState == Npgsql.PostgresErrorCodes.LockNotAvailable)
            {
                return false;
            }
        });
    }
}
