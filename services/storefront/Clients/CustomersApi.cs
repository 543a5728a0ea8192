namespace Storefront.Clients;

/// <summary>customers: accounts, tokens, the profile, the data export and erasure.</summary>
public sealed class CustomersApi(HttpClient http)
{
    public const string Name = "customers";

    public Task RegisterAsync(string email, string password, string name, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync(http, Name, ApiCalls.Request(HttpMethod.Post, "api/customers/register", body: new { email, password, name }), cancellationToken);

    public Task<Tokens> LoginAsync(string email, string password, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<Tokens>(http, Name, ApiCalls.Request(HttpMethod.Post, "api/customers/login", body: new { email, password }), cancellationToken);

    public Task<Tokens> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<Tokens>(http, Name, ApiCalls.Request(HttpMethod.Post, "api/customers/refresh", body: new { refreshToken }), cancellationToken);

    public Task LogoutAsync(string accessToken, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync(http, Name, ApiCalls.Request(HttpMethod.Post, "api/customers/logout", accessToken), cancellationToken);

    public Task<Profile> ProfileAsync(string accessToken, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<Profile>(http, Name, ApiCalls.Request(HttpMethod.Get, "api/customers/me", accessToken), cancellationToken);

    public Task<Profile> RenameAsync(string name, string accessToken, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<Profile>(http, Name, ApiCalls.Request(HttpMethod.Patch, "api/customers/me", accessToken, new { name }), cancellationToken);

    public Task EraseAsync(string accessToken, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync(http, Name, ApiCalls.Request(HttpMethod.Delete, "api/customers/me", accessToken), cancellationToken);

    public Task<DataExport> RequestExportAsync(string accessToken, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<DataExport>(http, Name, ApiCalls.Request(HttpMethod.Post, "api/customers/me/export", accessToken), cancellationToken);

    public Task<DataExport> ExportAsync(Guid id, string accessToken, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<DataExport>(http, Name, ApiCalls.Request(HttpMethod.Get, $"api/customers/me/export/{id}", accessToken), cancellationToken);
}
