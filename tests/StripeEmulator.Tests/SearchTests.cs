using System.Net;
using Stripe;

namespace StripeEmulator.Tests;

public sealed class SearchTests
{
    [Fact]
    public async Task Search_by_metadata_finds_exactly_the_matching_intents()
    {
        await using var emulator = await Emulator.StartAsync();
        var stripe = emulator.Stripe();
        var a = await CreateAsync(stripe, new() { ["payment_id"] = "p-1", ["kind"] = "a" });
        var b = await CreateAsync(stripe, new() { ["payment_id"] = "p-1", ["kind"] = "b" });
        await CreateAsync(stripe, new() { ["payment_id"] = "p-2", ["kind"] = "a" });
        await CreateAsync(stripe, []);

        var byPayment = await SearchAsync(stripe, "metadata['payment_id']:'p-1'");
        var both = await SearchAsync(stripe, "metadata['payment_id']:'p-1' AND metadata[\"kind\"]:\"b\"");
        var none = await SearchAsync(stripe, "metadata['payment_id']:'p-3'");

        Assert.Equal("search_result", byPayment.Object);
        Assert.Equal(new[] { a.Id, b.Id }.Order(), byPayment.Data.Select(i => i.Id).Order());
        Assert.False(byPayment.HasMore);
        Assert.Equal(b.Id, Assert.Single(both.Data).Id);
        Assert.Empty(none.Data);
    }

    [Fact]
    public async Task Search_pages_with_limit_and_next_page()
    {
        await using var emulator = await Emulator.StartAsync();
        var stripe = emulator.Stripe();
        var created = new[]
        {
            await CreateAsync(stripe, new() { ["batch"] = "x" }),
            await CreateAsync(stripe, new() { ["batch"] = "x" }),
            await CreateAsync(stripe, new() { ["batch"] = "x" }),
        };

        var first = await stripe.V1.PaymentIntents.SearchAsync(new PaymentIntentSearchOptions { Query = "metadata['batch']:'x'", Limit = 2 });
        var second = await stripe.V1.PaymentIntents.SearchAsync(
            new PaymentIntentSearchOptions { Query = "metadata['batch']:'x'", Limit = 2, Page = first.NextPage });

        Assert.Equal(2, first.Data.Count);
        Assert.True(first.HasMore);
        Assert.False(second.HasMore);
        Assert.Equal(created.Select(i => i.Id).Order(), first.Data.Concat(second.Data).Select(i => i.Id).Order());
    }

    [Fact]
    public async Task A_query_the_emulator_cannot_parse_is_refused_rather_than_matching_everything()
    {
        await using var emulator = await Emulator.StartAsync();
        var stripe = emulator.Stripe();
        await CreateAsync(stripe, new() { ["payment_id"] = "p-1" });

        var error = await Assert.ThrowsAsync<StripeException>(() => SearchAsync(stripe, "metadata['payment_id']:'p-1' OR metadata['payment_id']:'p-2'"));

        Assert.Equal(HttpStatusCode.BadRequest, error.HttpStatusCode);
        Assert.Equal("invalid_request_error", error.StripeError.Type);
    }

    [Fact]
    public async Task Retrieving_an_intent_with_the_secret_key_returns_its_client_secret()
    {
        await using var emulator = await Emulator.StartAsync();
        var stripe = emulator.Stripe();
        var created = await CreateAsync(stripe, []);

        var retrieved = await stripe.V1.PaymentIntents.GetAsync(created.Id);

        Assert.StartsWith($"{created.Id}_secret_", retrieved.ClientSecret, StringComparison.Ordinal);
        Assert.Equal(created.ClientSecret, retrieved.ClientSecret);
    }

    private static Task<PaymentIntent> CreateAsync(StripeClient stripe, Dictionary<string, string> metadata) =>
        stripe.V1.PaymentIntents.CreateAsync(new PaymentIntentCreateOptions { Amount = 1000, Currency = "eur", Metadata = metadata });

    private static Task<StripeSearchResult<PaymentIntent>> SearchAsync(StripeClient stripe, string query) =>
        stripe.V1.PaymentIntents.SearchAsync(new PaymentIntentSearchOptions { Query = query });
}
