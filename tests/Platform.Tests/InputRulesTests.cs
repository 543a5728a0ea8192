using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Platform.Api;

namespace Platform.Tests;

public sealed class InputRulesTests : IAsyncLifetime
{
    private PlatformTestApp _app = null!;

    public async Task InitializeAsync() => _app = await PlatformTestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/search?search=lap%00top", "search")]
    [InlineData("/search?search=ok&other=%00", "other")]
    public async Task API8_a_NUL_in_a_query_value_is_a_400_naming_the_field(string path, string field)
    {
        var response = await _app.Client.GetAsync(new Uri(path, UriKind.Relative));

        await AssertNamesAsync(response, field);
    }

    [Fact]
    public async Task API8_a_NUL_in_a_path_is_refused_by_the_server_before_any_route_value_exists()
    {
        var response = await _app.Client.GetAsync(new Uri("/things/lap%00top", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"sku": "LAP\u0000-1", "quantity": 1}""", "sku")]
    [InlineData("""{"sku": "LAP-1", "quantity": 1, "note": {"lines": ["fine", "bad \u0000"]}}""", "note.lines[1]")]
    [InlineData("""{"sku": "\ud800 alone", "quantity": 1}""", "sku")]
    [InlineData("""{"sku": "LAP-1", "quantity": 1, "k\u0000ey": "value"}""", "k\uFFFDey")]
    public async Task API8_a_NUL_or_a_lone_surrogate_in_a_JSON_string_is_a_400_naming_its_path(string body, string field)
    {
        var response = await _app.Client.PostAsync(new Uri("/orders", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertNamesAsync(response, field);
    }

    [Fact]
    public async Task Ordinary_text_passes_untouched_and_the_endpoint_still_reads_the_body()
    {
        var order = await _app.Client.PostAsJsonAsync("/orders", new { sku = "LAP-1 \u00e9\u4e2d \ud83d\udcbb \\u0000 as text", quantity = 2 });
        var search = await _app.Client.GetAsync(new Uri("/search?search=caf%C3%A9", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, order.StatusCode);
        Assert.Equal("LAP-1 \u00e9\u4e2d \ud83d\udcbb \\u0000 as text", (await order.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sku").GetString());
        Assert.Equal("caf\u00e9", await search.Content.ReadFromJsonAsync<string>());
    }

    [Theory]
    [InlineData("""{"a": [1, {"b": "x"}, "\u0000"]}""", "a[2]")]
    [InlineData("""["ok", ["ok", "\u0000"]]""", "[1][1]")]
    [InlineData("""{"a": {"b": 1}, "c": "\u0000"}""", "c")]
    [InlineData("""{"a": "no escapes at all"}""", null)]
    [InlineData("""{"a": "an escaped \u00e9 and a pair \ud83d\udcbb"}""", null)]
    [InlineData("""{"a": "\u0000""", null)]
    public void The_path_of_forbidden_text_is_found_in_any_shape_of_JSON(string json, string? path)
    {
        Assert.Equal(path, InputRules.JsonFieldWithForbiddenText(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Forbidden_text_is_a_NUL_or_a_surrogate_outside_a_pair()
    {
        // Not theory data: a lone surrogate does not survive the test runner's serialisation of arguments.
        Assert.False(InputRules.IsForbidden("plain"));
        Assert.False(InputRules.IsForbidden("caf\u00e9 \ud83d\udcbb"));
        Assert.True(InputRules.IsForbidden("a\u0000b"));
        Assert.True(InputRules.IsForbidden("lone \ud800 high"));
        Assert.True(InputRules.IsForbidden("lone \udc00 low"));
        Assert.True(InputRules.IsForbidden("ends high \ud83d"));
        Assert.True(InputRules.IsForbidden("reversed \udcbb\ud83d"));
    }

    [Fact]
    public void A_page_near_int_MaxValue_is_invalid_and_the_last_page_whose_offset_fits_is_valid()
    {
        var errors = new PageRequest(int.MaxValue, 20).Errors();

        Assert.NotNull(errors);
        Assert.Contains("page", errors.ByField.Keys);
        Assert.Null(new PageRequest(int.MaxValue / 100 + 1, 100).Errors());
        Assert.NotNull(new PageRequest(int.MaxValue / 100 + 2, 100).Errors());
        Assert.Null(new PageRequest(int.MaxValue, 1).Errors());
    }

    private static async Task AssertNamesAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
    }
}
