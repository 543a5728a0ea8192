using System.Net;
using System.Net.Http.Json;

namespace Customers.Tests;

public sealed record TokenPair(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken);

public sealed record Registered(Guid Id, string Email, string Name);

internal static class Accounts
{
    public const string Password = "correct horse battery staple";

    public static string NewEmail() => $"customer-{Guid.NewGuid():N}@example.com";

    public static async Task<Registered> RegisterAsync(HttpClient client, string email, string name = "Grace Hopper", string password = Password)
    {
        var response = await client.PostAsJsonAsync("/api/customers/register", new { email, password, name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Registered>())!;
    }

    public static Task<HttpResponseMessage> LoginAsync(HttpClient client, string email, string password) =>
        client.PostAsJsonAsync("/api/customers/login", new { email, password });

    public static Task<HttpResponseMessage> RefreshAsync(HttpClient client, string refreshToken) =>
        client.PostAsJsonAsync("/api/customers/refresh", new { refreshToken });
}
