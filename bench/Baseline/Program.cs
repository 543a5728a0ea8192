using System.Buffers.Binary;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using StackExchange.Redis;

// The bare baseline beside each hot path of the benchmark: the same queries through Npgsql and the same Redis reads
// as the services, on Kestrel with nothing else (no logging, tracing, auth middleware, rate limiter or problem details).
// It reads columns by position and writes anonymous objects: the least a hand-written endpoint could do.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var settings = builder.Configuration;
var redis = await ConnectionMultiplexer.ConnectAsync(RedisConfiguration(settings["REDIS_URL"]!));
var inventory = Database("inventory");
var locations = Database("locations");
var customers = Database("customers");
var signingKeys = await SigningKeysAsync(settings["JWT_JWKS_URL"]!);
var cache = redis.GetDatabase();
var tokens = new JsonWebTokenHandler();

var app = builder.Build();

// Product by id, cached as the service caches it: one MGET of the family's generation and of the entry, which begins
// with the generation it was written in.
app.MapGet("/products/{id:guid}", async (Guid id) =>
{
    var key = $"baseline:product:{id}:row";
    var (generation, cached) = await ReadCachedAsync($"baseline:product:{id}:generation", key);
    if (cached is not null)
    {
        return Results.Bytes(cached, "application/json");
    }

    await using var command = inventory.CreateCommand(
        "SELECT id, sku, name, description, category, price_cents, currency, image_keys FROM products WHERE id = $1");
    command.Parameters.AddWithValue(id);
    await using var reader = await command.ExecuteReaderAsync();
    if (!await reader.ReadAsync())
    {
        return Results.NotFound();
    }

    var json = JsonSerializer.SerializeToUtf8Bytes(ReadProduct(reader));
    await WriteCachedAsync(key, generation, json, TimeSpan.FromSeconds(60));
    return Results.Bytes(json, "application/json");
});

// A catalogue page, cached in the same way for 30 s.
app.MapGet("/products", async (int? page, int? pageSize, string? search) =>
{
    var size = pageSize ?? 20;
    var number = page ?? 1;
    var pattern = string.IsNullOrWhiteSpace(search) ? null : $"%{search.Trim()}%";
    var key = $"baseline:products:{number}:{size}:{pattern}";
    var (generation, cached) = await ReadCachedAsync("baseline:products:generation", key);
    if (cached is not null)
    {
        return Results.Bytes(cached, "application/json");
    }

    var where = pattern is null ? "" : "WHERE name ILIKE $3 OR description ILIKE $3";
    await using var batch = inventory.CreateBatch();
    batch.BatchCommands.Add(new NpgsqlBatchCommand(
        $"SELECT id, sku, name, description, category, price_cents, currency, image_keys FROM products {where} ORDER BY name, id LIMIT $1 OFFSET $2")
    { Parameters = { new() { Value = size }, new() { Value = (number - 1) * size }, new() { Value = pattern ?? "" } } });
    batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT count(*) FROM products {where.Replace("$3", "$1", StringComparison.Ordinal)}")
    { Parameters = { new() { Value = pattern ?? "" } } });
    var items = new List<Product>();
    await using (var reader = await batch.ExecuteReaderAsync())
    {
        while (await reader.ReadAsync())
        {
            items.Add(ReadProduct(reader));
        }

        await reader.NextResultAsync();
        await reader.ReadAsync();
        var json = JsonSerializer.SerializeToUtf8Bytes(new { items, page = number, pageSize = size, totalCount = reader.GetInt64(0) });
        await WriteCachedAsync(key, generation, json, TimeSpan.FromSeconds(30));
        return Results.Bytes(json, "application/json");
    }
});

// A product's stock at each location.
app.MapGet("/products/{id:guid}/stock", async (Guid id) =>
{
    await using var command = inventory.CreateCommand(
        "SELECT location_id, on_hand, reserved FROM stock WHERE product_id = $1 ORDER BY location_id");
    command.Parameters.AddWithValue(id);
    var levels = new List<object>();
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        levels.Add(new
        {
            locationId = reader.GetGuid(0),
            onHand = reader.GetInt32(1),
            reserved = reader.GetInt32(2),
            available = reader.GetInt32(1) - reader.GetInt32(2),
        });
    }

    return Results.Json(levels);
});

// The nearby search, as the service runs it: the search, then the stores found.
app.MapGet("/nearby", async (double lat, double lon, double radiusKm, int? limit) =>
    Results.Json(await StoresAsync(await NearestAsync(
        "SELECT s.id, ST_Distance(s.location, origin.point, false) FROM stores s, " +
        "(SELECT ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography AS point) origin " +
        "WHERE ST_DWithin(s.location, origin.point, $3, false) ORDER BY s.location <-> origin.point, s.id LIMIT $4",
        lat, lon, radiusKm, limit ?? 10))));

app.MapGet("/nearby/fallback", async (double lat, double lon, double radiusKm, int? limit) =>
{
    // The fallback's bounding box, as the service draws it away from the poles and the antimeridian (where its two
    // longitude ranges are the same one).
    const double earthRadiusMetres = 6_371_008.7714;
    var angle = radiusKm * 1000 / earthRadiusMetres;
    var latitudeSpan = angle * 180 / Math.PI + 1e-7;
    var longitudeSpan = Math.Asin(Math.Sin(angle) / Math.Cos(lat * Math.PI / 180)) * 180 / Math.PI + 1e-7;
    return Results.Json(await StoresAsync(await NearestAsync(
        "SELECT id, metres FROM (SELECT s.id, great_circle_metres($1, $2, s.latitude, s.longitude) AS metres FROM stores s " +
        "WHERE s.latitude BETWEEN $1 - $5 AND $1 + $5 " +
        "AND (s.longitude BETWEEN $2 - $6 AND $2 + $6 OR s.longitude BETWEEN $2 - $6 AND $2 + $6)) candidates " +
        "WHERE metres <= $3 ORDER BY metres, id LIMIT $4",
        lat, lon, radiusKm, limit ?? 10, latitudeSpan, longitudeSpan)));
});

// A store by id.
app.MapGet("/stores/{id:guid}", async (Guid id) =>
{
    var stores = await StoresAsync([(id, 0)]);
    return stores.Count == 0 ? Results.NotFound() : Results.Json(stores[0]);
});

// The caller's profile: the token checked against customers' keys, its session live in Redis, then the row.
app.MapGet("/me", async (HttpRequest request) =>
{
    var header = request.Headers.Authorization.ToString();
    var result = await tokens.ValidateTokenAsync(header["Bearer ".Length..], new TokenValidationParameters
    {
        IssuerSigningKeys = signingKeys,
        ValidIssuer = "mycomputer-customers",
        ValidAudience = "mycomputer-api",
    });
    if (!result.IsValid || !await redis.GetDatabase().KeyExistsAsync($"customers:session:{result.Claims["sid"]}"))
    {
        return Results.Unauthorized();
    }

    await using var command = customers.CreateCommand("SELECT id, email, name, role, created_at FROM customers WHERE id = $1");
    command.Parameters.AddWithValue(Guid.Parse((string)result.Claims["sub"]));
    await using var reader = await command.ExecuteReaderAsync();
    return await reader.ReadAsync()
        ? Results.Json(new
        {
            id = reader.GetGuid(0), email = reader.GetString(1), name = reader.GetString(2), role = reader.GetString(3), createdAt = reader.GetDateTime(4),
        })
        : Results.NotFound();
});

app.MapGet("/health", () => "ok");
app.Run();

NpgsqlDataSource Database(string name) => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder
{
    Host = settings["DB_HOST"],
    Port = int.Parse(settings["DB_PORT"] ?? "5432", System.Globalization.CultureInfo.InvariantCulture),
    Username = settings["DB_USER"],
    Password = settings["DB_PASSWORD"],
    Database = name,
    MaxPoolSize = 30,
}.ConnectionString);

// The family's generation, and the entry's JSON when it was written in that generation.
async Task<(long Generation, byte[]? Json)> ReadCachedAsync(string generationKey, string key)
{
    var values = await cache.StringGetAsync([generationKey, key]);
    var generation = (long?)values[0] ?? 0;
    var entry = (byte[]?)values[1];
    return (generation, entry is { Length: > sizeof(long) } && BinaryPrimitives.ReadInt64LittleEndian(entry) == generation ? entry[sizeof(long)..] : null);
}

Task WriteCachedAsync(string key, long generation, byte[] json, TimeSpan timeToLive)
{
    var entry = new byte[sizeof(long) + json.Length];
    BinaryPrimitives.WriteInt64LittleEndian(entry, generation);
    json.CopyTo(entry, sizeof(long));
    return cache.StringSetAsync(key, entry, timeToLive);
}

async Task<List<(Guid Id, double Metres)>> NearestAsync(
    string sql, double lat, double lon, double radiusKm, int limit, double latitudeSpan = 0, double longitudeSpan = 0)
{
    await using var command = locations.CreateCommand(sql);
    command.Parameters.AddWithValue(lat);
    command.Parameters.AddWithValue(lon);
    command.Parameters.AddWithValue(radiusKm * 1000);
    command.Parameters.AddWithValue(limit);
    if (latitudeSpan > 0)
    {
        command.Parameters.AddWithValue(latitudeSpan);
        command.Parameters.AddWithValue(longitudeSpan);
    }

    var found = new List<(Guid, double)>();
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        found.Add((reader.GetGuid(0), reader.GetDouble(1)));
    }

    return found;
}

async Task<List<Store>> StoresAsync(List<(Guid Id, double Metres)> found)
{
    await using var command = locations.CreateCommand(
        "SELECT id, name, address, city, country, latitude, longitude, time_zone, opening_hours::text FROM stores WHERE id = ANY($1)");
    command.Parameters.AddWithValue(found.Select(f => f.Id).ToArray());
    var stores = new Dictionary<Guid, Store>();
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        var id = reader.GetGuid(0);
        stores[id] = new Store(id, reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            reader.GetDouble(5), reader.GetDouble(6), reader.GetString(7), JsonDocument.Parse(reader.GetString(8)).RootElement,
            Math.Round(found.First(f => f.Id == id).Metres) / 1000);
    }

    return found.Where(f => stores.ContainsKey(f.Id)).Select(f => stores[f.Id]).ToList();
}

static Product ReadProduct(NpgsqlDataReader reader) => new(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
    reader.GetString(4), reader.GetInt64(5), reader.GetString(6), reader.GetFieldValue<string[]>(7));

static async Task<IList<SecurityKey>> SigningKeysAsync(string jwksUrl)
{
    using var http = new HttpClient();
    return new JsonWebKeySet(await http.GetStringAsync(jwksUrl)).GetSigningKeys();
}

// redis://[user:password@]host:port: the baseline reads the keys of two services, so it connects as the admin.
static ConfigurationOptions RedisConfiguration(string url)
{
    var uri = new Uri(url);
    var options = new ConfigurationOptions { EndPoints = { { uri.Host, uri.Port } } };
    if (uri.UserInfo.Split(':', 2) is [var user, var password])
    {
        options.User = user.Length == 0 ? null : Uri.UnescapeDataString(user);
        options.Password = Uri.UnescapeDataString(password);
    }

    return options;
}

internal sealed record Product(Guid Id, string Sku, string Name, string Description, string Category, long PriceCents, string Currency, string[] ImageKeys);

internal sealed record Store(Guid Id, string Name, string Address, string City, string Country, double Latitude, double Longitude,
    string TimeZone, JsonElement OpeningHours, double DistanceKm);
