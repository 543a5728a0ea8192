using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Customers.Data;
using Customers.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Customers.Tests;

public sealed class RegistrationTests(CustomersFixture customers) : IClassFixture<CustomersFixture>
{
    [Fact]
    public async Task Register_answers_201_with_the_profile_and_stores_only_a_password_hash()
    {
        var email = Accounts.NewEmail();

        var response = await customers.CreateClient().PostAsJsonAsync("/api/customers/register",
            new { email, password = Accounts.Password, name = "Ada Lovelace" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/customers/me", response.Headers.Location?.OriginalString);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(email, body.GetProperty("email").GetString());
        Assert.Equal("Ada Lovelace", body.GetProperty("name").GetString());
        Assert.Equal("customer", body.GetProperty("role").GetString());
        Assert.False(body.TryGetProperty("passwordHash", out _));
        var stored = await StoredAsync(email);
        Assert.DoesNotContain(Accounts.Password, stored.PasswordHash, StringComparison.Ordinal);
        Assert.Equal(PasswordVerificationResult.Success, new PasswordHasher<Customer>().VerifyHashedPassword(stored, stored.PasswordHash, Accounts.Password));
    }

    [Fact]
    public async Task An_email_already_registered_in_any_case_is_409_and_the_first_account_is_unchanged()
    {
        var email = Accounts.NewEmail();
        await Accounts.RegisterAsync(customers.CreateClient(), email, "First");

        var response = await customers.CreateClient().PostAsJsonAsync("/api/customers/register",
            new { email = email.ToUpperInvariant(), password = "another long password", name = "Second" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("First", (await StoredAsync(email)).Name);
    }

    [Theory]
    [InlineData("not-an-email", "correct horse battery", "Ada", "email")]
    [InlineData("Ada <ada@example.com>", "correct horse battery", "Ada", "email")]
    [InlineData("ada@localhost", "correct horse battery", "Ada", "email")]
    [InlineData(null, "correct horse battery", "Ada", "email")]
    [InlineData("ada@example.com", "elevenchars", "Ada", "password")]
    [InlineData("ada@example.com", null, "Ada", "password")]
    [InlineData("ada@example.com", "correct horse battery", "   ", "name")]
    [InlineData("ada@example.com", "correct horse battery", null, "name")]
    public async Task Invalid_registrations_are_400_naming_the_field_and_create_nothing(string? email, string? password, string? name, string field)
    {
        var response = await customers.CreateClient().PostAsJsonAsync("/api/customers/register", new { email, password, name });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        Assert.True(problem.TryGetProperty("traceId", out _));
        Assert.Equal(0, await CountAsync("ada@example.com"));
    }

    [Fact]
    public async Task A_role_in_the_registration_body_is_refused_and_no_account_is_created()
    {
        var email = Accounts.NewEmail();

        var response = await customers.CreateClient().PostAsJsonAsync("/api/customers/register",
            new { email, password = Accounts.Password, name = "Mallory", role = "admin" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("$.role", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(email));
    }

    [Fact]
    public async Task Malformed_json_is_400_and_a_wrong_content_type_is_415()
    {
        var client = customers.CreateClient();

        var malformed = await client.PostAsync(new Uri("/api/customers/register", UriKind.Relative),
            new StringContent("{\"email\":", Encoding.UTF8, "application/json"));
        var text = await client.PostAsync(new Uri("/api/customers/register", UriKind.Relative), new StringContent("email=a", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
    }

    private async Task<Customer> StoredAsync(string email)
    {
        await using var scope = customers.Services.CreateAsyncScope();
        var normalized = Customer.Normalize(email);
        return await scope.ServiceProvider.GetRequiredService<CustomersDb>().Customers.AsNoTracking().SingleAsync(c => c.NormalizedEmail == normalized);
    }

    private async Task<int> CountAsync(string email)
    {
        await using var scope = customers.Services.CreateAsyncScope();
        var normalized = Customer.Normalize(email);
        return await scope.ServiceProvider.GetRequiredService<CustomersDb>().Customers.CountAsync(c => c.NormalizedEmail == normalized);
    }
}
