using System.Net;
using System.Net.Http.Json;

namespace Security.Tests;

/// <summary>
/// OWASP API1:2023. Another customer's object is a 404, exactly like one that does not exist, so ids cannot even be
/// probed; and an attempt to act on it changes nothing.
/// </summary>
public sealed class API1_BrokenObjectLevelAuthorization(Stack stack) : IClassFixture<Stack>
{
    [StackFact]
    public async Task API1_another_customers_reservation_is_404_to_read_and_to_release_and_stays_pending()
    {
        var (owner, attacker) = (await stack.NewCustomerAsync(), await stack.NewCustomerAsync());
        var reservation = await owner.Http.ReserveAsync(await stack.NewShelfAsync());
        var id = reservation.GetProperty("id").GetGuid();

        var read = await attacker.Http.GetAsync($"/api/inventory/reservations/{id}");
        var release = await attacker.Http.PostAsync($"/api/inventory/reservations/{id}/release", content: null);
        var unknown = await attacker.Http.GetAsync($"/api/inventory/reservations/{Guid.CreateVersion7()}");

        await read.AssertProblemAsync(HttpStatusCode.NotFound);
        await release.AssertProblemAsync(HttpStatusCode.NotFound);
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(Shape(await unknown.Content.ReadAsStringAsync()), Shape(await read.Content.ReadAsStringAsync()));
        // Unless the test stack's 10 s expiry came first, the attacker's release must have left it pending.
        var status = (await owner.Http.GetJsonAsync($"/api/inventory/reservations/{id}")).GetProperty("status").GetString();
        Assert.True(status == "pending" || DateTimeOffset.UtcNow >= reservation.GetProperty("expiresAt").GetDateTimeOffset(), $"the reservation is {status}");
    }

    [StackFact]
    public async Task API1_another_customers_payment_is_404_and_absent_from_a_list_filtered_by_its_reservation()
    {
        var (owner, attacker) = (await stack.NewCustomerAsync(), await stack.NewCustomerAsync());
        var reservation = (await owner.Http.ReserveAsync(await stack.NewShelfAsync())).GetProperty("id").GetGuid();
        var payment = (await owner.Http.PayAsync(reservation)).GetProperty("id").GetGuid();

        var read = await attacker.Http.GetAsync($"/api/payments/{payment}");
        var listed = await attacker.Http.GetJsonAsync($"/api/payments/?reservationId={reservation}");

        await read.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(listed.GetProperty("items").EnumerateArray());
        Assert.Equal(0, listed.GetProperty("totalCount").GetInt32());
        Assert.Single((await owner.Http.GetJsonAsync($"/api/payments/?reservationId={reservation}")).GetProperty("items").EnumerateArray());
    }

    [StackFact]
    public async Task API1_paying_for_another_customers_reservation_is_404_and_creates_no_payment()
    {
        var (owner, attacker) = (await stack.NewCustomerAsync(), await stack.NewCustomerAsync());
        var reservation = (await owner.Http.ReserveAsync(await stack.NewShelfAsync())).GetProperty("id").GetGuid();

        var paid = await attacker.Http.SendAsync(Shop.PaymentRequest(reservation, Guid.NewGuid().ToString()));

        await paid.AssertProblemAsync(HttpStatusCode.NotFound);
        var admin = (await stack.AdminAsync()).Http;
        Assert.Empty((await admin.GetJsonAsync($"/api/payments/?reservationId={reservation}")).GetProperty("items").EnumerateArray());
    }

    [StackFact]
    public async Task API1_another_customers_data_export_is_404()
    {
        var (owner, attacker) = (await stack.NewCustomerAsync(), await stack.NewCustomerAsync());
        var export = await (await owner.Http.PostAsync("/api/customers/me/export", content: null)).JsonAsync(HttpStatusCode.Accepted);
        var id = export.GetProperty("id").GetGuid();

        var read = await attacker.Http.GetAsync($"/api/customers/me/export/{id}");

        await read.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await owner.Http.GetAsync($"/api/customers/me/export/{id}")).StatusCode);
    }

    [StackFact]
    public async Task API1_the_profile_is_the_callers_own_whatever_id_the_request_names()
    {
        var (owner, attacker) = (await stack.NewCustomerAsync(), await stack.NewCustomerAsync());

        var byQuery = await attacker.Http.GetJsonAsync($"/api/customers/me?id={owner.Id}");
        var byPath = await attacker.Http.GetAsync($"/api/customers/{owner.Id}");
        var renamed = await attacker.Http.PatchAsJsonAsync($"/api/customers/me?id={owner.Id}", new { name = "Mallory" });

        Assert.Equal(attacker.Id, byQuery.GetProperty("id").GetGuid());
        await byPath.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(attacker.Id, (await renamed.JsonAsync(HttpStatusCode.OK)).GetProperty("id").GetGuid());
        Assert.Equal("Ada Lovelace", (await owner.Http.GetJsonAsync("/api/customers/me")).GetProperty("name").GetString());
    }

    /// <summary>The problem without what names this request (trace id, path): what would tell a stranger's object from a missing one.</summary>
    private static string Shape(string problem)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(problem)!.AsObject();
        node.Remove("traceId");
        node.Remove("instance");
        return node.ToJsonString();
    }
}
