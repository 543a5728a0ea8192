using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Customers.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Customers.Tests;

public sealed class DataExportTests(CustomersFixture customers) : IClassFixture<CustomersFixture>
{
    [Fact]
    public async Task An_export_writes_what_is_stored_about_the_customer_and_offers_a_15_minute_download()
    {
        var customer = await customers.NewCustomerAsync("Hedy Lamarr");

        var accepted = await customer.Client.PostAsync(new Uri("/api/customers/me/export", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var started = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pending", started.GetProperty("status").GetString());
        var id = started.GetProperty("id").GetGuid();
        Assert.Equal($"/api/customers/me/export/{id}", accepted.Headers.Location?.OriginalString);

        var export = await DataExports.WaitUntilCompletedAsync(customer.Client, id);
        var expiresAt = export.GetProperty("downloadExpiresAt").GetDateTimeOffset();
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));

        using var download = new HttpClient();
        var document = await download.GetFromJsonAsync<JsonElement>(export.GetProperty("downloadUrl").GetString());
        await using var scope = customers.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<CustomersDb>().Customers.AsNoTracking().SingleAsync(c => c.Id == customer.Id);
        var profile = document.GetProperty("customer");
        Assert.Equal(stored.Id, profile.GetProperty("id").GetGuid());
        Assert.Equal(stored.Email, profile.GetProperty("email").GetString());
        Assert.Equal(stored.Name, profile.GetProperty("name").GetString());
        Assert.Equal(stored.Role, profile.GetProperty("role").GetString());
        Assert.Equal(stored.CreatedAt, profile.GetProperty("createdAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.Contains(document.GetProperty("dataExports").EnumerateArray(), e => e.GetProperty("id").GetGuid() == id);
        Assert.DoesNotContain("passwordHash", document.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Another_customers_export_is_404()
    {
        var owner = await customers.NewCustomerAsync();
        var other = await customers.NewCustomerAsync();
        var id = (await (await owner.Client.PostAsync(new Uri("/api/customers/me/export", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var response = await other.Client.GetAsync(new Uri($"/api/customers/me/export/{id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Exports_need_a_token()
    {
        var response = await customers.CreateClient().PostAsync(new Uri("/api/customers/me/export", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

internal static class DataExports
{
    public static async Task<JsonElement> WaitUntilCompletedAsync(HttpClient client, Guid id)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var export = await client.GetFromJsonAsync<JsonElement>($"/api/customers/me/export/{id}");
            if (export.GetProperty("status").GetString() == "completed")
            {
                return export;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Export {id} was not completed within 10 s.");
    }
}
