using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Payments.Data;
using Payments.Domain;
using TestSupport;

namespace Payments.Tests;

public sealed class PaymentsApiTests(PaymentsFixture payments) : IClassFixture<PaymentsFixture>
{
    [Fact]
    public Task Ready_reports_postgres_redis_both_queues_and_both_stripe_secrets_up() =>
        Readiness.AssertUpAsync(
            payments.CreateClient(),
            "postgres", "redis", $"sqs:{TestEnvironment.Require("INVENTORY_QUEUE")}", $"sqs:{TestEnvironment.Require("PAYMENTS_QUEUE")}",
            "secret:STRIPE_SECRET_KEY", "secret:WEBHOOK_ENDPOINT_SECRET");

    [Fact]
    public async Task A_customer_sees_only_their_own_payments_and_an_admin_sees_all()
    {
        var alice = Guid.CreateVersion7();
        var bob = Guid.CreateVersion7();
        await payments.SeedAsync<PaymentsDb>(db => db.Payments.AddRange(
            new Payment { CustomerId = alice, ReservationId = Guid.CreateVersion7(), AmountCents = 129_900, Currency = "EUR", Status = "succeeded" },
            new Payment { CustomerId = bob, ReservationId = Guid.CreateVersion7(), AmountCents = 4_999, Currency = "EUR", Status = "processing" }));

        var alices = await payments.ClientWithToken(TestTokens.Customer(alice)).GetFromJsonAsync<JsonElement>("/api/payments/");
        var all = await payments.ClientWithToken(TestTokens.Admin()).GetFromJsonAsync<JsonElement>("/api/payments/");

        Assert.Equal(129_900, Assert.Single(alices.GetProperty("items").EnumerateArray()).GetProperty("amountCents").GetInt64());
        Assert.Equal(2, all.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Listing_payments_without_a_token_is_401_problem_details()
    {
        var response = await payments.CreateClient().GetAsync(new Uri("/api/payments/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
