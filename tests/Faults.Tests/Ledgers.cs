using Npgsql;

namespace Faults.Tests;

/// <summary>A payment row as payments keeps it.</summary>
public sealed record PaymentRow(Guid Id, Guid ReservationId, string Status, string? Intent);

/// <summary>A reservation as inventory keeps it.</summary>
public sealed record ReservationRow(Guid Id, string Status, Guid? PaymentId);

/// <summary>
/// What the two services' databases say, read straight from PostgreSQL: the invariants a crash must not break are
/// checked there, not through the APIs that might paper over them.
/// </summary>
public sealed class Ledgers(Stack stack)
{
    /// <summary>Payments' events to inventory that carry a payment (payment.*); the rest (refund requests) go the other way.</summary>
    private const string PaymentEventKey = "body::jsonb #>> '{data,paymentId}'";

    public async Task<Dictionary<(Guid Product, Guid Location), (int OnHand, int Reserved)>> StockAsync(IEnumerable<(Guid Product, Guid Location)> rows)
    {
        var wanted = rows.ToHashSet();
        var stock = new Dictionary<(Guid, Guid), (int, int)>();
        await foreach (var row in QueryAsync("inventory", "SELECT product_id, location_id, on_hand, reserved FROM stock",
                           r => (Key: ((Guid)r["product_id"], (Guid)r["location_id"]),
                               Level: ((int)r["on_hand"], (int)r["reserved"]))))
        {
            if (wanted.Contains(row.Key))
            {
                stock[row.Key] = row.Level;
            }
        }

        return stock;
    }

    public async Task<Dictionary<string, PaymentRow>> PaymentsByIntentAsync(IReadOnlyCollection<string> intents) =>
        (await ListAsync("payments",
            "SELECT id, reservation_id, status, stripe_payment_intent_id FROM payments WHERE stripe_payment_intent_id = ANY(@p0)",
            Payment, intents.ToArray()))
        .ToDictionary(p => p.Intent!);

    public async Task<Dictionary<Guid, PaymentRow>> PaymentsByIdAsync(IReadOnlyCollection<Guid> ids) =>
        (await ListAsync("payments",
            "SELECT id, reservation_id, status, stripe_payment_intent_id FROM payments WHERE id = ANY(@p0)",
            Payment, ids.ToArray()))
        .ToDictionary(p => p.Id);

    public async Task<Dictionary<Guid, ReservationRow>> ReservationsAsync(IReadOnlyCollection<Guid> ids) =>
        (await ListAsync("inventory", "SELECT id, status, payment_id FROM reservations WHERE id = ANY(@p0)",
            Reservation, ids.ToArray()))
        .ToDictionary(r => r.Id);

    /// <summary>Every committed reservation in inventory, whoever made it.</summary>
    public Task<List<ReservationRow>> CommittedReservationsAsync() =>
        ListAsync("inventory", "SELECT id, status, payment_id FROM reservations WHERE status = 'Committed'",
            Reservation);

    /// <summary>Stock rows whose <c>reserved</c> is not the sum of their pending reservations' quantities.</summary>
    public Task<List<string>> ReservedMismatchesAsync() =>
        ListAsync("inventory", """
            WITH pending AS (
                SELECT r.location_id, (item ->> 'ProductId')::uuid AS product_id, SUM((item ->> 'Quantity')::int) AS quantity
                FROM reservations r, jsonb_array_elements(r.items) AS item
                WHERE r.status = 'Pending'
                GROUP BY 1, 2)
            SELECT format('stock %s at %s: reserved %s, pending reservations hold %s', s.product_id, s.location_id, s.reserved, COALESCE(p.quantity, 0))
            FROM stock s LEFT JOIN pending p ON p.product_id = s.product_id AND p.location_id = s.location_id
            WHERE s.reserved <> COALESCE(p.quantity, 0)
            """, r => r.GetString(0));

    /// <summary>
    /// The same effect announced twice: two payments events of one type for one payment, or two inventory events of one
    /// type for one reservation.
    /// </summary>
    public async Task<List<string>> DuplicatedEventsAsync() =>
    [
        .. await ListAsync("payments", $"""
            SELECT format('payments published %s for payment %s %s times', type, {PaymentEventKey}, count(*))
            FROM outbox_messages GROUP BY type, {PaymentEventKey} HAVING count(*) > 1
            """, r => r.GetString(0)),
        .. await ListAsync("inventory", """
            SELECT format('inventory published %s for reservation %s %s times', type, body::jsonb #>> '{data,reservationId}', count(*))
            FROM outbox_messages GROUP BY type, body::jsonb #>> '{data,reservationId}' HAVING count(*) > 1
            """, r => r.GetString(0)),
    ];

    /// <summary>Events not yet sent by a relay, and payments' events about <paramref name="payments"/> that inventory has not handled.</summary>
    public async Task<List<string>> UndeliveredEventsAsync(IReadOnlyCollection<Guid> payments)
    {
        var unsent = await ListAsync("payments",
            "SELECT format('payments has not sent %s %s', type, id) FROM outbox_messages WHERE sent_at IS NULL", r => r.GetString(0));
        unsent.AddRange(await ListAsync("inventory",
            "SELECT format('inventory has not sent %s %s', type, id) FROM outbox_messages WHERE sent_at IS NULL", r => r.GetString(0)));
        var published = await ListAsync("payments", $"SELECT id, type FROM outbox_messages WHERE ({PaymentEventKey})::uuid = ANY(@p0)",
            r => (Id: (Guid)r["id"], Type: (string)r["type"]), payments.ToArray());
        var handled = (await ListAsync("inventory", "SELECT id FROM inbox_events WHERE id = ANY(@p0)", r => r.GetGuid(0),
            published.Select(p => p.Id).ToArray())).ToHashSet();
        unsent.AddRange(published.Where(p => !handled.Contains(p.Id)).Select(p => $"inventory has not handled {p.Type} {p.Id}"));
        return unsent;
    }

    private static PaymentRow Payment(NpgsqlDataReader row) => new((Guid)row["id"], (Guid)row["reservation_id"],
        (string)row["status"], row["stripe_payment_intent_id"] as string);

    private static ReservationRow Reservation(NpgsqlDataReader row) =>
        new((Guid)row["id"], (string)row["status"], row["payment_id"] as Guid?);

    private async Task<List<T>> ListAsync<T>(string database, string sql, Func<NpgsqlDataReader, T> read, object? p0 = null)
    {
        var rows = new List<T>();
        await foreach (var row in QueryAsync(database, sql, read, p0))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>
    /// Rows of <paramref name="sql"/> in <paramref name="database"/>; <paramref name="p0"/> (an array, for
    /// <c>= ANY(@p0)</c>) when it has one.
    /// </summary>
    private async IAsyncEnumerable<T> QueryAsync<T>(string database, string sql, Func<NpgsqlDataReader, T> read, object? p0 = null)
    {
        await using var connection = new NpgsqlConnection($"{stack.Database};Database={database}");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (p0 is not null)
        {
            command.Parameters.AddWithValue("p0", p0);
        }

        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            yield return read(reader);
        }
    }
}
