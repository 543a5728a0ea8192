using System.Net.Http.Json;
using Npgsql;

namespace LoadGenerator;

/// <summary>
/// The benchmark's data set, written straight into the services' databases (through the API, 10,000 password hashes
/// and a million stock rows would take longer than the benchmark). Loading again adds only what is missing.
/// </summary>
public sealed class BenchData(BenchSettings settings, List<Guid> products, List<Guid> stockLocations, List<Guid> stores, string customerEmail)
{
    public const string Password = "bench-password-1234";

    public IReadOnlyList<Guid> Products => products;

    public IReadOnlyList<Guid> StockLocations => stockLocations;

    public IReadOnlyList<Guid> Stores => stores;

    public string CustomerEmail => customerEmail;

    public static async Task<BenchData> LoadAsync(BenchSettings settings)
    {
        var size = settings.Size;
        var email = "bench-0@bench.mycomputer.local";
        using (var http = new HttpClient { BaseAddress = settings.Urls["customers"] })
        {
            // One account through the API gives the password hash the others share; 409 when it is already there.
            var registered = await http.PostAsJsonAsync("/api/customers/register", new { email, password = Password, name = "Bench Customer 0" });
            if (!registered.IsSuccessStatusCode && registered.StatusCode != System.Net.HttpStatusCode.Conflict)
            {
                throw new InvalidOperationException($"registering the bench customer failed: {registered.StatusCode}");
            }
        }

        await ExecuteAsync(settings.Database("customers"), """
            INSERT INTO customers (id, email, normalized_email, name, role, password_hash, created_at)
            SELECT gen_random_uuid(), 'bench-' || i || '@bench.mycomputer.local', upper('bench-' || i || '@bench.mycomputer.local'),
                   'Bench Customer ' || i, 'customer', template.password_hash, now()
            FROM generate_series(1, @count - 1) i,
                 (SELECT password_hash FROM customers WHERE normalized_email = upper('bench-0@bench.mycomputer.local')) template
            ON CONFLICT DO NOTHING
            """, ("count", size.Customers));

        // Stores spread over Europe (latitude 36-60, longitude -10-30), with the opening hours of a demo store.
        await ExecuteAsync(settings.Database("locations"), """
            INSERT INTO stores (id, name, address, city, country, latitude, longitude, time_zone, created_at, opening_hours, open_minutes_of_week)
            SELECT md5('bench-store-' || i)::uuid, 'Bench store ' || i, i || ' Bench Street', 'Bench City ' || (i % 500), 'FR',
                   36 + 24 * ((hashtext('latitude-' || i) & 2147483647)::float8 / 2147483647),
                   -10 + 40 * ((hashtext('longitude-' || i) & 2147483647)::float8 / 2147483647),
                   template.time_zone, now(), template.opening_hours, template.open_minutes_of_week
            FROM generate_series(1, @count) i,
                 (SELECT time_zone, opening_hours, open_minutes_of_week FROM stores WHERE city = 'Paris' ORDER BY id LIMIT 1) template
            ON CONFLICT DO NOTHING;
            ANALYZE stores;
            """, ("count", size.Stores));

        await ExecuteAsync(settings.Database("inventory"), """
            INSERT INTO products (id, sku, name, description, category, price_cents, currency, created_at, image_keys)
            SELECT md5('bench-product-' || i)::uuid, 'BENCH-' || lpad(i::text, 6, '0'), 'Bench laptop ' || i,
                   'A benchmark laptop with ' || (8 << (i % 4)) || ' GB of memory and a ' || (13 + i % 5) || '-inch screen',
                   (ARRAY['laptops', 'desktops', 'monitors', 'keyboards', 'mice', 'storage', 'networking', 'audio'])[1 + i % 8],
                   10000 + (i * 7919) % 250000, 'EUR', now(), '{}'
            FROM generate_series(1, @products) i
            ON CONFLICT DO NOTHING;
            INSERT INTO stock (product_id, location_id, on_hand, reserved)
            SELECT md5('bench-product-' || p)::uuid, md5('bench-store-' || l)::uuid, 1000000, 0
            FROM generate_series(1, @products) p, generate_series(1, @locations) l
            ON CONFLICT DO NOTHING;
            ANALYZE products;
            ANALYZE stock;
            """, ("products", size.Products), ("locations", size.StockLocations));

        return new BenchData(
            settings,
            await IdsAsync(settings.Database("inventory"), "SELECT id FROM products WHERE sku LIKE 'BENCH-%' ORDER BY sku LIMIT @count", size.Products),
            await IdsAsync(settings.Database("locations"), "SELECT md5('bench-store-' || i)::uuid FROM generate_series(1, @count) i", size.StockLocations),
            await IdsAsync(settings.Database("locations"), "SELECT id FROM stores WHERE name LIKE 'Bench store %' LIMIT @count", size.Stores),
            email);
    }

    /// <summary>On hand and reserved over the bench's stock: reservations made and released must leave both as they were.</summary>
    public async Task<(long OnHand, long Reserved)> StockTotalsAsync()
    {
        await using var source = NpgsqlDataSource.Create(settings.Database("inventory"));
        await using var command = source.CreateCommand("SELECT sum(on_hand)::bigint AS on_hand, sum(reserved)::bigint AS reserved FROM stock");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return ((long)reader["on_hand"], (long)reader["reserved"]);
    }

    public async Task<bool> CheckStockAsync()
    {
        // The database's own check constraints (0 <= reserved <= on_hand) hold for every row, and nothing went negative.
        await using var source = NpgsqlDataSource.Create(settings.Database("inventory"));
        await using var command = source.CreateCommand("SELECT count(*) FROM stock WHERE reserved < 0 OR reserved > on_hand");
        return (long)(await command.ExecuteScalarAsync())! == 0;
    }

    private static async Task ExecuteAsync(string connection, string sql, params (string Name, int Value)[] parameters)
    {
        await using var source = NpgsqlDataSource.Create(connection);
        await using var command = source.CreateCommand(sql);
        command.CommandTimeout = 600;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<Guid>> IdsAsync(string connection, string sql, int count)
    {
        await using var source = NpgsqlDataSource.Create(connection);
        await using var command = source.CreateCommand(sql);
        command.Parameters.AddWithValue("count", count);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }
}
