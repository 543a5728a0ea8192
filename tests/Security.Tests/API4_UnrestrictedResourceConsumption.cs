using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Security.Tests;

/// <summary>
/// OWASP API4:2023: every size a client chooses has a ceiling, and passing it is a 4xx naming what was too big, never
/// work done or a 500. The per-address rate limit (counted before authentication) is raised out of reach on the test
/// stack, whose one machine sends all the traffic; <c>Platform.Tests.RateLimitTests</c> proves it, with
/// <c>API4_a_flood_of_requests_with_bad_tokens_is_limited_like_any_other</c>.
/// </summary>
public sealed class API4_UnrestrictedResourceConsumption(Stack stack) : IClassFixture<Stack>
{
    public static TheoryData<string, bool> ListRoutes => new()
    {
        { "/api/inventory/products", false },
        { "/api/locations/", false },
        { "/api/payments/", false },
        { "/api/customers/", true },
    };

    [StackTheory]
    [MemberData(nameof(ListRoutes))]
    public async Task API4_a_page_of_more_than_100_is_400_naming_pageSize(string route, bool admin)
    {
        var http = await ClientAsync(admin);

        var largest = await http.GetAsync($"{route}?pageSize=100");
        var tooMany = await http.GetAsync($"{route}?pageSize=101");

        Assert.Equal(HttpStatusCode.OK, largest.StatusCode);
        await tooMany.AssertNamesFieldAsync("pageSize");
    }

    [StackTheory]
    [MemberData(nameof(ListRoutes))]
    public async Task API4_a_page_whose_offset_passes_int_MaxValue_is_400_naming_page_not_500(string route, bool admin)
    {
        var http = await ClientAsync(admin);

        var response = await http.GetAsync($"{route}?page={int.MaxValue}&pageSize=100");
        var overflow = await http.GetAsync($"{route}?page=99999999999999999999");

        await response.AssertNamesFieldAsync("page");
        await overflow.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [StackFact]
    public async Task API4_a_body_over_the_size_limit_is_413_and_creates_nothing()
    {
        var email = $"security-{Guid.NewGuid():N}@example.com";
        var body = $$"""{"email":"{{email}}","password":"{{Stack.CustomerPassword}}","name":"{{new string('a', 2 * 1024 * 1024)}}"}""";

        // Asking first (Expect: 100-continue) is how a client learns of the 413 before sending 2 MB: sent at once, the body
        // races the refusal, and the connection the service closes after it is sometimes reset before the answer is read.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/customers/register")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
            Headers = { ExpectContinue = true },
        };

        var response = await stack.Anonymous().Http.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        var login = await stack.Anonymous().Http.PostAsJsonAsync("/api/customers/login", new { email, password = Stack.CustomerPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [StackFact]
    public async Task API4_a_reservation_of_more_than_50_lines_or_1000_units_is_400_naming_the_field_and_reserves_nothing()
    {
        var customer = await stack.NewCustomerAsync();
        var shelf = await stack.NewShelfAsync();
        var lines = Enumerable.Range(0, 51).Select(_ => new { productId = Guid.CreateVersion7(), quantity = 1 });

        var tooManyLines = await customer.Http.PostAsJsonAsync("/api/inventory/reservations", new { locationId = shelf.LocationId, items = lines });
        var tooManyUnits = await customer.Http.PostAsJsonAsync("/api/inventory/reservations",
            new { locationId = shelf.LocationId, items = new[] { new { productId = shelf.ProductId, quantity = 1001 } } });

        await tooManyLines.AssertNamesFieldAsync("items");
        await tooManyUnits.AssertNamesFieldAsync("items[0]");
        Assert.Equal(0, (await stack.StockAsync(shelf)).GetProperty("reserved").GetInt32());
    }

    [StackTheory]
    [InlineData("limit=51", "limit")]
    [InlineData("radiusKm=100000", "radiusKm")]
    [InlineData("radiusKm=0", "radiusKm")]
    public async Task API4_a_nearby_search_past_its_ceilings_is_400_naming_the_field(string query, string field)
    {
        var response = await stack.Anonymous().Http.GetAsync($"/api/locations/nearby?lat=53.34&lon=-6.25&{query}");

        await response.AssertNamesFieldAsync(field);
    }

    [StackFact]
    public async Task API4_an_image_upload_over_25_MB_is_400_and_no_upload_url_is_signed()
    {
        var admin = (await stack.AdminAsync()).Http;
        var shelf = await stack.NewShelfAsync();

        var response = await admin.PostAsJsonAsync($"/api/inventory/products/{shelf.ProductId}/images",
            new { contentType = "image/png", contentLength = (25L * 1024 * 1024) + 1 });

        await response.AssertNamesFieldAsync("contentLength");
        Assert.Empty((await admin.GetJsonAsync($"/api/inventory/products/{shelf.ProductId}")).GetProperty("imageUrls").EnumerateArray());
    }

    [StackFact]
    public async Task API4_export_requests_at_once_make_one_export_and_never_a_500()
    {
        var customer = await stack.NewCustomerAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => customer.Http.PostAsync("/api/customers/me/export", content: null)));
        var again = await customer.Http.PostAsync("/api/customers/me/export", content: null);

        var ids = new List<Guid>();
        foreach (var answer in answers)
        {
            ids.Add((await answer.JsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid());
        }

        Assert.Single(ids.Distinct());
        await again.JsonAsync(HttpStatusCode.Accepted);
    }

    private async Task<HttpClient> ClientAsync(bool admin) => admin ? (await stack.AdminAsync()).Http : (await stack.NewCustomerAsync()).Http;
}
