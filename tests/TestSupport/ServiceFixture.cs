using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Platform.Postgres;
using Xunit;

namespace TestSupport;

/// <summary>
/// Runs a service in-process against the PostgreSQL, Redis and AWS emulator that <c>./dev test</c> started, with a
/// database of its own (created and migrated here, dropped at the end) and tokens from <see cref="TestTokens"/> trusted.
/// </summary>
public abstract class ServiceFixture<TProgram> : WebApplicationFactory<TProgram>, IAsyncLifetime where TProgram : class
{
    private readonly TestDatabase _database;

    protected ServiceFixture(string service) => _database = new TestDatabase(service);

    public string DatabaseName => _database.Name;

    /// <summary>Settings this fixture's service runs with, over what the environment gives.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        await _database.CreateAsync();
        foreach (var migrator in Services.GetServices<IDatabaseMigrator>())
        {
            await migrator.MigrateAsync(CancellationToken.None);
        }
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _database.DropAsync();
    }

    /// <summary>Runs <paramref name="seed"/> against the service's own <typeparamref name="TDb"/> and saves it.</summary>
    public async Task SeedAsync<TDb>(Action<TDb> seed) where TDb : Microsoft.EntityFrameworkCore.DbContext
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        seed(db);
        await db.SaveChangesAsync();
    }

    public HttpClient ClientWithToken(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Not Development: tests see the error handling production has.
        builder.UseEnvironment("Test");
        builder.UseSetting("DB_NAME", _database.Name);
        builder.UseSetting("DRAIN_DELAY_SECONDS", "0");
        builder.UseSetting("RATE_LIMIT_REQUESTS", "1000000");
        builder.UseSetting("LOG_LEVEL", "warn");
        builder.UseSetting("JWT_ISSUER", TestTokens.Issuer);
        builder.UseSetting("JWT_AUDIENCE", TestTokens.Audience);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
            services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, bearer =>
            {
                bearer.ConfigurationManager = null;
                bearer.TokenValidationParameters.IssuerSigningKey = TestTokens.ValidationKey;
            }));
    }
}
