using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Security.Tests;

/// <summary>
/// OWASP API10:2023: what another system sends us is checked before it is believed. Through the load balancer that is
/// Stripe's webhook: a delivery whose signature is missing, wrong, for another body or too old is a 400 that changes
/// nothing, while the same event signed as Stripe signs it is applied. The event consumers check what an event claims
/// (owner, amount, currency) against their own records; SQS is not reachable from here, so
/// <c>Inventory.Tests.PaymentEventsTests.API10_a_payment_that_does_not_match_its_reservation_is_dead_lettered_with_the_reason_and_changes_nothing</c>
/// proves it at the consumer.
/// </summary>
public sealed class API10_UnsafeConsumptionOfApis(Stack stack) : IClassFixture<Stack>
{
    public static TheoryData<string> Defects =>
    [
        "no signature",
        "signed with another secret",
        "signed five minutes and a second ago",
        "body changed after signing",
        "only a v0 signature",
        "signature for the next second",
    ];

    [StackTheory]
    [MemberData(nameof(Defects))]
    public async Task API10_a_webhook_with_a_bad_or_stale_signature_is_400_and_changes_nothing_while_a_valid_one_is_applied(string defect)
    {
        var customer = await stack.NewCustomerAsync();
        var reservation = (await customer.Http.ReserveAsync(await stack.NewShelfAsync())).GetProperty("id").GetGuid();
        var payment = await customer.Http.PayAsync(reservation);
        var paymentId = payment.GetProperty("id").GetGuid();
        var before = await StatusAsync(customer, paymentId);
        var body = SucceededEvent(payment);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var signature = defect switch
        {
            "no signature" => null,
            "signed with another secret" => Sign("whsec_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), now, body),
            "signed five minutes and a second ago" => Sign(stack.WebhookSecret, now - 301, body),
            "body changed after signing" => Sign(stack.WebhookSecret, now, body.Replace("\"succeeded\"", "\"processing\"", StringComparison.Ordinal)),
            "only a v0 signature" => Sign(stack.WebhookSecret, now, body).Replace("v1=", "v0=", StringComparison.Ordinal),
            "signature for the next second" => $"t={now}," + Sign(stack.WebhookSecret, now + 1, body).Split(',')[1],
            _ => throw new ArgumentOutOfRangeException(nameof(defect), defect, null),
        };
        var refused = await DeliverAsync(body, signature);

        await refused.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(before, await StatusAsync(customer, paymentId));
        Assert.NotEqual("succeeded", before);

        var accepted = await DeliverAsync(body, Sign(stack.WebhookSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("succeeded", await StatusAsync(customer, paymentId));
    }

    [StackTheory]
    [InlineData("not json at all")]
    [InlineData("[]")]
    [InlineData("""{"id":"evt_x","object":"event","type":"payment_intent.succeeded","data":{"object":"nonsense"}}""")]
    [InlineData("{}")]
    public async Task API10_a_validly_signed_webhook_that_is_not_an_event_is_a_4xx_not_a_500(string body)
    {
        var response = await DeliverAsync(body, Sign(stack.WebhookSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode} {text}");
        Assert.Null(Responses.Leak(text));
    }

    /// <summary>As Stripe signs: HMAC-SHA256 of "timestamp.body" keyed with the endpoint's secret, hex, in <c>t=…,v1=…</c>.</summary>
    private static string Sign(string secret, long timestamp, string body)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}"));
        return $"t={timestamp.ToString(CultureInfo.InvariantCulture)},v1={Convert.ToHexStringLower(mac)}";
    }

    private async Task<HttpResponseMessage> DeliverAsync(string body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/webhooks/stripe")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        }

        return await stack.Anonymous().Http.SendAsync(request);
    }

    /// <summary>payment_intent.succeeded for the payment's own intent, with its own amount: all that differs is the signature.</summary>
    private static string SucceededEvent(JsonElement payment)
    {
        var intent = payment.GetProperty("clientSecret").GetString()!.Split("_secret_")[0];
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = $"evt_{Guid.NewGuid():N}",
            ["object"] = "event",
            ["api_version"] = "2025-01-27.acacia",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["type"] = "payment_intent.succeeded",
            ["data"] = new Dictionary<string, object>
            {
                ["object"] = new Dictionary<string, object>
                {
                    ["id"] = intent,
                    ["object"] = "payment_intent",
                    ["amount"] = payment.GetProperty("amountCents").GetInt64(),
                    ["amount_received"] = payment.GetProperty("amountCents").GetInt64(),
                    ["currency"] = payment.GetProperty("currency").GetString()!.ToLowerInvariant(),
                    ["status"] = "succeeded",
                    ["metadata"] = new Dictionary<string, string> { ["payment_id"] = payment.GetProperty("id").GetString()! },
                },
            },
        });
    }

    private static async Task<string> StatusAsync(Customer customer, Guid payment) =>
        (await customer.Http.GetJsonAsync($"/api/payments/{payment}")).GetProperty("status").GetString()!;
}
