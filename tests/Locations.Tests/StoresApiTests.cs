using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using TestSupport;
using static Locations.Tests.StoreBodies;

namespace Locations.Tests;

public sealed class StoresApiTests(LocationsFixture locations) : IClassFixture<LocationsFixture>
{
    private const string Stores = "/api/locations/";

    [Fact]
    public Task Ready_reports_postgres_up() =>
        Readiness.AssertUpAsync(locations.CreateClient(), "postgres");

    [Fact]
    public async Task An_admin_creates_a_store_201_with_its_location_and_reads_it_back_with_its_hours()
    {
        var body = Store("MyComputer Galway", "Galway", 53.2740, -9.0490, "Europe/Dublin",
            Interval("friday", "09:00", "13:00"), Interval("friday", "14:00", "02:00"), Interval("monday", "00:00", "00:00"));

        var response = await Admin().PostAsJsonAsync(Stores, body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/locations/{created.GetProperty("id").GetGuid()}", response.Headers.Location?.OriginalString);
        var read = await locations.CreateClient().GetFromJsonAsync<JsonElement>(response.Headers.Location!.OriginalString);
        Assert.Equal("MyComputer Galway", read.GetProperty("name").GetString());
        Assert.Equal("IE", read.GetProperty("country").GetString());
        Assert.Equal(53.2740, read.GetProperty("latitude").GetDouble());
        Assert.Equal(-9.0490, read.GetProperty("longitude").GetDouble());
        Assert.Equal("Europe/Dublin", read.GetProperty("timeZone").GetString());
        // Monday first, as the week runs; times as HH:mm, days by name.
        Assert.Equal(
            ["monday 00:00-00:00", "friday 09:00-13:00", "friday 14:00-02:00"],
            read.GetProperty("openingHours").EnumerateArray().Select(i => $"{i.GetProperty("day")} {i.GetProperty("opens")}-{i.GetProperty("closes")}"));
    }

    [Fact]
    public async Task Stores_are_listed_filtered_by_city_and_paged()
    {
        foreach (var name in new[] { "MyComputer Lyon Part-Dieu", "MyComputer Lyon République", "MyComputer Lyon Confluence" })
        {
            (await Admin().PostAsJsonAsync(Stores, Store(name, "Lyon", 45.76, 4.83, "Europe/Paris"))).EnsureSuccessStatusCode();
        }

        (await Admin().PostAsJsonAsync(Stores, Store("MyComputer Nice", "Nice", 43.70, 7.27, "Europe/Paris"))).EnsureSuccessStatusCode();

        var page = await locations.CreateClient().GetFromJsonAsync<JsonElement>($"{Stores}?city=Lyon&page=2&pageSize=2");

        Assert.Equal(3, page.GetProperty("totalCount").GetInt32());
        Assert.Equal(2, page.GetProperty("page").GetInt32());
        Assert.Equal(2, page.GetProperty("pageSize").GetInt32());
        var store = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal("MyComputer Lyon République", store.GetProperty("name").GetString()); // by name within the city
        Assert.Equal(JsonValueKind.Array, store.GetProperty("openingHours").ValueKind);
    }

    [Fact]
    public async Task Cities_are_listed_once_each_by_name_with_their_store_counts_and_paged()
    {
        foreach (var (name, city) in new[] { ("MyComputer Zagreb 1", "Zagreb"), ("MyComputer Zagreb 2", "Zagreb"), ("MyComputer Zadar", "Zadar") })
        {
            (await Admin().PostAsJsonAsync(Stores, Store(name, city, 45.81, 15.98, "Europe/Zagreb"))).EnsureSuccessStatusCode();
        }

        var first = await locations.CreateClient().GetFromJsonAsync<JsonElement>($"{Stores}cities?pageSize=100");
        var cities = first.GetProperty("items").EnumerateArray().Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("stores").GetInt32())).ToList();

        Assert.Equal(cities.Count, first.GetProperty("totalCount").GetInt32());
        Assert.Equal(cities.Select(c => c.Item1).Distinct(), cities.Select(c => c.Item1));
        Assert.True(cities.IndexOf(("Zadar", 1)) < cities.IndexOf(("Zagreb", 2)), "cities come by name");
        Assert.Contains(("Zagreb", 2), cities);
        Assert.Contains(("Zadar", 1), cities);
        Assert.Equal(await locations.CountStoresAsync("Zagreb"), cities.Single(c => c.Item1 == "Zagreb").Item2);

        var second = await locations.CreateClient().GetFromJsonAsync<JsonElement>($"{Stores}cities?page=2&pageSize=1");
        Assert.Equal(cities[1].Item1, Assert.Single(second.GetProperty("items").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await locations.CreateClient().GetAsync($"{Stores}cities?pageSize=101")).StatusCode);
    }

    [Theory]
    [InlineData("?pageSize=101")]
    [InlineData("?page=0")]
    [InlineData("?pageSize=many")]
    public async Task A_bad_page_is_400(string query)
    {
        var response = await locations.CreateClient().GetAsync(Stores + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_store_is_404()
    {
        var response = await locations.CreateClient().GetAsync($"{Stores}{Guid.CreateVersion7()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("latitude", "91")]
    [InlineData("latitude", "-90.5")]
    [InlineData("latitude", "null")]
    [InlineData("longitude", "180.01")]
    [InlineData("timeZone", "\"Mars/Olympus_Mons\"")]
    [InlineData("timeZone", "\"W. Europe Standard Time\"")]
    [InlineData("timeZone", "\"\"")]
    [InlineData("country", "\"ie\"")]
    [InlineData("country", "\"IRL\"")]
    [InlineData("name", "\"  \"")]
    [InlineData("address", "null")]
    [InlineData("city", "\"\"")]
    [InlineData("openingHours", "null")]
    public async Task An_invalid_field_is_400_naming_it_and_nothing_is_created(string field, string json)
    {
        var body = Store(city: "Invalid-" + field);
        body[field] = JsonNode.Parse(json);

        await AssertRejectedAsync(body, field);
    }

    [Theory]
    [InlineData("openingHours[0]", "monday 9:00-18:00")]
    [InlineData("openingHours[0]", "monday 24:00-02:00")]
    [InlineData("openingHours[0]", "monday 09:00-18:60")]
    [InlineData("openingHours[1]", "monday 09:00-18:00", "monday 17:00-20:00")]
    [InlineData("openingHours[1]", "friday 22:00-02:00", "saturday 01:00-05:00")]
    [InlineData("openingHours[1]", "sunday 22:00-03:00", "monday 02:00-05:00")]
    [InlineData("openingHours[1]", "tuesday 10:00-10:00", "tuesday 23:00-23:30")]
    public async Task Invalid_or_overlapping_opening_hours_are_400_naming_the_interval(string field, params string[] intervals)
    {
        var body = Store(city: "Hours-" + Guid.NewGuid().ToString("N")[..8]);
        body["openingHours"] = new JsonArray([.. intervals.Select(Parse)]);

        await AssertRejectedAsync(body, field);

        static JsonNode Parse(string interval)
        {
            var (day, times) = (interval.Split(' ')[0], interval.Split(' ')[1].Split('-'));
            return Interval(day, times[0], times[1]);
        }
    }

    [Fact]
    public async Task Intervals_that_touch_are_accepted()
    {
        var body = Store("MyComputer Touching", "Touching", 53.0, -6.0, "Europe/Dublin",
            Interval("monday", "09:00", "12:00"), Interval("monday", "12:00", "18:00"), Interval("sunday", "20:00", "00:00"),
            Interval("monday", "00:00", "02:00"));

        var response = await Admin().PostAsJsonAsync(Stores, body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_day_is_400()
    {
        var body = Store(city: "Funday");
        body["openingHours"] = new JsonArray(Interval("funday", "09:00", "18:00"));

        var response = await Admin().PostAsJsonAsync(Stores, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("openingHours[0].day", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await locations.CountStoresAsync("Funday"));
    }

    [Fact]
    public async Task Put_replaces_a_store_and_its_hours()
    {
        var location = await CreateAsync(Store("MyComputer Old Name", "Limerick", 52.66, -8.63, "Europe/Dublin"));

        var response = await Admin().PutAsJsonAsync(location, Store("MyComputer New Name", "Limerick", 52.6638, -8.6267, "Europe/Dublin",
            Interval("saturday", "10:00", "16:00")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var read = await locations.CreateClient().GetFromJsonAsync<JsonElement>(location);
        Assert.Equal("MyComputer New Name", read.GetProperty("name").GetString());
        Assert.Equal(52.6638, read.GetProperty("latitude").GetDouble());
        var hours = Assert.Single(read.GetProperty("openingHours").EnumerateArray());
        Assert.Equal("saturday", hours.GetProperty("day").GetString());
    }

    [Fact]
    public async Task An_invalid_put_is_400_and_changes_nothing()
    {
        var location = await CreateAsync(Store("MyComputer Kept", "Waterford", 52.26, -7.11, "Europe/Dublin"));
        var invalid = Store("MyComputer Changed", "Waterford", 95, -7.11, "Europe/Dublin");

        var response = await Admin().PutAsJsonAsync(location, invalid);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var read = await locations.CreateClient().GetFromJsonAsync<JsonElement>(location);
        Assert.Equal("MyComputer Kept", read.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Put_of_an_unknown_store_is_404()
    {
        var response = await Admin().PutAsJsonAsync($"{Stores}{Guid.CreateVersion7()}", Store());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Delete_is_204_then_the_store_is_gone_and_a_second_delete_is_404()
    {
        var location = await CreateAsync(Store("MyComputer Closing", "Sligo", 54.27, -8.47, "Europe/Dublin"));

        var deleted = await Admin().DeleteAsync(location);
        var read = await locations.CreateClient().GetAsync(location);
        var again = await Admin().DeleteAsync(location);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Writes_need_an_admin_401_anonymous_403_customer_and_change_nothing()
    {
        var location = await CreateAsync(Store("MyComputer Guarded", "Kilkenny", 52.65, -7.25, "Europe/Dublin"));
        var anonymous = locations.CreateClient();
        var customer = locations.ClientWithToken(TestTokens.Customer());

        var statuses = new[]
        {
            (await anonymous.PostAsJsonAsync(Stores, Store(city: "Kilkenny"))).StatusCode,
            (await anonymous.PutAsJsonAsync(location, Store(city: "Kilkenny"))).StatusCode,
            (await anonymous.DeleteAsync(location)).StatusCode,
            (await customer.PostAsJsonAsync(Stores, Store(city: "Kilkenny"))).StatusCode,
            (await customer.PutAsJsonAsync(location, Store(city: "Kilkenny"))).StatusCode,
            (await customer.DeleteAsync(location)).StatusCode,
        };

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized,
            HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden], statuses);
        Assert.Equal(1, await locations.CountStoresAsync("Kilkenny"));
        var read = await locations.CreateClient().GetFromJsonAsync<JsonElement>(location);
        Assert.Equal("MyComputer Guarded", read.GetProperty("name").GetString());
    }

    private HttpClient Admin() => locations.ClientWithToken(TestTokens.Admin());

    private async Task<string> CreateAsync(JsonObject body)
    {
        var response = await Admin().PostAsJsonAsync(Stores, body);
        response.EnsureSuccessStatusCode();
        return response.Headers.Location!.OriginalString;
    }

    private async Task AssertRejectedAsync(JsonObject body, string field)
    {
        var before = await locations.CountStoresAsync();

        var response = await Admin().PostAsJsonAsync(Stores, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
        Assert.Equal(before, await locations.CountStoresAsync());
    }
}
