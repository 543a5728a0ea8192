using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Platform.Tests;

public sealed class ProblemDetailsTests : IAsyncLifetime
{
    private PlatformTestApp _app = null!;

    public async Task InitializeAsync() => _app = await PlatformTestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("{\"sku\": \"LAP-1\", \"quantity\": ")]
    [InlineData("not json at all")]
    [InlineData("{\"sku\": \"LAP-1\", \"quantity\": \"three\"}")]
    [InlineData("{\"sku\": \"LAP-1\", \"quantity\": 99999999999999}")]
    public async Task Malformed_json_or_a_wrong_typed_field_is_a_400_problem(string body)
    {
        var response = await _app.Client.PostAsync(new Uri("/orders", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ReadProblemAsync(response);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        Assert.DoesNotContain("   at ", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_body_is_bound()
    {
        var response = await _app.Client.PostAsJsonAsync("/orders", new OrderRequest("LAP-1", 2));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new OrderRequest("LAP-1", 2), await response.Content.ReadFromJsonAsync<OrderRequest>());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415_and_an_oversized_body_is_413()
    {
        var text = await _app.Client.PostAsync(new Uri("/orders", UriKind.Relative), new StringContent("sku=1", Encoding.UTF8, "text/plain"));
        var huge = await _app.Client.PostAsync(new Uri("/orders", UriKind.Relative),
            new StringContent($"{{\"sku\": \"{new string('x', 10_000)}\", \"quantity\": 1}}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(413, (await ReadProblemAsync(huge)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task An_unhandled_exception_is_a_500_problem_that_reveals_nothing()
    {
        var response = await _app.Client.GetAsync(new Uri("/fail", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem_with_security_headers()
    {
        var response = await _app.Client.GetAsync(new Uri("/nothing-here", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, (await ReadProblemAsync(response)).GetProperty("status").GetInt32());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    private static async Task<JsonElement> ReadProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
