using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Customers.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

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
        // What inventory and payments answered, as they answered it, asked with a token for this customer alone.
        Assert.Equal("/api/inventory/personal-data", document.GetProperty("inventory").GetProperty("path").GetString());
        Assert.Equal("/api/payments/personal-data", document.GetProperty("payments").GetProperty("path").GetString());
        var asked = customers.OtherServices.Requests.Where(r => TokenFor(r.Token) == customer.Id).Select(r => r.Url).ToList();
        Assert.Contains("http://inventory.test/api/inventory/personal-data", asked);
        Assert.Contains("http://payments.test/api/payments/personal-data", asked);
    }

    [Fact]
    public async Task The_token_an_export_reads_other_services_with_is_the_callers_as_a_plain_customer_and_lives_a_minute()
    {
        // The admin's own export: even then the token carries the customer role only.
        var admin = await customers.AdminAsync();
        var adminId = (await admin.GetFromJsonAsync<JsonElement>("/api/customers/me")).GetProperty("id").GetGuid();
        var id = (await (await admin.PostAsync(new Uri("/api/customers/me/export", UriKind.Relative), null))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await DataExports.WaitUntilCompletedAsync(admin, id);

        var token = new JsonWebToken(customers.OtherServices.Requests.First(r => TokenFor(r.Token) == adminId).Token);

        Assert.Equal("customer", token.GetClaim("role").Value);
        Assert.InRange(token.ValidTo - token.IssuedAt, TimeSpan.FromSeconds(55), TimeSpan.FromSeconds(60));
        var bearer = customers.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        var parameters = bearer.TokenValidationParameters.Clone();
        parameters.IssuerSigningKeys = (await bearer.ConfigurationManager!.GetConfigurationAsync(CancellationToken.None)).SigningKeys;
        var verified = await new JsonWebTokenHandler().ValidateTokenAsync(token.EncodedToken, parameters);
        Assert.True(verified.IsValid, "the token must be one every service accepts: signed by customers' key, for its issuer and audience");
    }

    [Fact]
    public async Task An_export_waits_while_inventory_or_payments_is_unavailable_and_is_written_once_they_answer()
    {
        var customer = await customers.NewCustomerAsync();
        customers.OtherServices.Status = HttpStatusCode.ServiceUnavailable;
        try
        {
            var askedBefore = customers.OtherServices.Requests.Count;
            var id = (await (await customer.Client.PostAsync(new Uri("/api/customers/me/export", UriKind.Relative), null))
                .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            await Task.Delay(TimeSpan.FromSeconds(3));

            var waiting = await customer.Client.GetFromJsonAsync<JsonElement>($"/api/customers/me/export/{id}");
            Assert.Equal("pending", waiting.GetProperty("status").GetString());
            Assert.True(customers.OtherServices.Requests.Count > askedBefore, "the worker should keep asking while they are unavailable");

            customers.OtherServices.Status = null;
            var written = await DataExports.WaitUntilCompletedAsync(customer.Client, id);
            Assert.NotNull(written.GetProperty("downloadUrl").GetString());
        }
        finally
        {
            customers.OtherServices.Status = null;
        }
    }

    [Fact]
    public async Task Another_customers_export_is_404()
    {
        var owner = await customers.NewCustomerAsync();
        var other = await customers.NewCustomerAsync();
        var id = (await (await owner.Client.PostAsync(new Uri("/api/customers/me/export", UriKind.Relative), null))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var response = await other.Client.GetAsync(new Uri($"/api/customers/me/export/{id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Exports_need_a_token()
    {
        var response = await customers.CreateClient().PostAsync(new Uri("/api/customers/me/export", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static Guid? TokenFor(string? token) => token is null ? null : Guid.Parse(new JsonWebToken(token).Subject);
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
