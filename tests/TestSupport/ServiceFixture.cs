using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.Hosting;
using Xunit;

namespace TestSupport;

/// <summary>
/// Runs a service in-process against the PostgreSQL, Redis and AWS emulator that <c>./dev test</c> started, with a
/// database and a Redis key prefix of its own (the database is created and migrated before the service starts, and
/// dropped at the end) and tokens from <see cref="TestTokens"/> trusted.
/// </summary>
public abstract class ServiceFixture<TProgram> : WebApplicationFactory<TProgram>, IAsyncLifetime where TProgram : class
{
    private readonly TestDatabase _database;

    protected ServiceFixture(string service)
    {
        TestEnvironment.Load();
        _database = new TestDatabase(service);
    }

    public string DatabaseName => _database.Name;

    /// <summary>Settings this fixture's service runs with, over what the environment gives.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        await _database.CreateAsync();
        await BeforeStartAsync();
        _ = Services; // starts the service: migrations and start-up tasks run first, as RunPlatformAsync runs them
    }

    /// <summary>What a fixture prepares before its service starts (its own queues, say).</summary>
    protected virtual Task BeforeStartAsync() => Task.CompletedTask;

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
        builder.UseSetting("REDIS_KEY_PREFIX", _database.Name + ":");
        builder.UseSetting("DRAIN_DELAY_SECONDS", "0");
        // One test client stands for many: the rate limits have tests of their own, with fixtures that set them.
        builder.UseSetting("RATE_LIMIT_REQUESTS", "1000000");
        builder.UseSetting("CUSTOMER_WRITE_RATE_LIMIT", "1000000");
        // Many services and test hosts share two cores here, so Redis may answer a loaded host in over a second; the
        // outage tests, which measure the budgets themselves, set their own.
        builder.UseSetting("REDIS_TIMEOUT_MS", "3000");
        // Likewise a connection: every test project starts its hosts, and migrates their databases, at the same moment.
        builder.UseSetting("DB_CONNECT_TIMEOUT_SECONDS", "10");
        // Dozens of test hosts live at once, and the test PostgreSQL's connections are for all of them.
        builder.UseSetting("DB_MIN_POOL_SIZE", "1");
        builder.UseSetting("LOG_LEVEL", "warn");
        builder.UseSetting("JWT_ISSUER", TestTokens.Issuer);
        builder.UseSetting("JWT_AUDIENCE", TestTokens.Audience);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            // First of all hosted services, so that workers start against a migrated database.
            services.Insert(0, ServiceDescriptor.Singleton<IHostedService, MigrateBeforeStart>());
            ConfigureServices(services);
        });
    }

    /// <summary>
    /// Test-only services. By default the service trusts <see cref="TestTokens"/> instead of fetching the customers
    /// service's keys.
    /// </summary>
    protected virtual void ConfigureServices(IServiceCollection services) =>
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, bearer =>
        {
            bearer.ConfigurationManager = null;
            bearer.TokenValidationParameters.IssuerSigningKey = TestTokens.ValidationKey;
        });

    private sealed class MigrateBeforeStart(IServiceProvider services) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await services.MigrateDatabasesAsync(cancellationToken);
            await services.RunStartupTasksAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
