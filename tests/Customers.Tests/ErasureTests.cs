using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Customers.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.Messaging;
using TestSupport;

namespace Customers.Tests;

public sealed class ErasureTests(CustomersFixture customers) : IClassFixture<CustomersFixture>
{
    [Fact]
    public async Task Erasure_deletes_the_account_its_exports_and_documents_ends_every_session_and_login_fails()
    {
        var customer = await customers.NewCustomerAsync("Radia Perlman");
        var secondSession = await customers.LoginAsync(customer.Email, Accounts.Password);
        var exportId = (await (await customer.Client.PostAsync(new Uri("/api/customers/me/export", UriKind.Relative), null))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await DataExports.WaitUntilCompletedAsync(customer.Client, exportId);

        var erased = await customer.Client.DeleteAsync(new Uri("/api/customers/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);
        // The id stays only in the two customer.erased messages for inventory and payments (sent, then kept 7 days).
        Assert.All(await RowsMentioningAsync(customer.Id.ToString()), row => Assert.Contains(EventTypes.CustomerErased, row, StringComparison.Ordinal));
        Assert.Empty(await RowsMentioningAsync(customer.Email, "Radia Perlman"));
        // Not even an old version or a delete marker: the bucket keeps versions.
        var documents = await customers.Services.GetRequiredService<IAmazonS3>().ListVersionsAsync(
            new ListVersionsRequest { BucketName = "mycomputer-documents", Prefix = $"exports/{customer.Id}/" });
        Assert.Empty(documents.Versions ?? []);
        Assert.Equal(HttpStatusCode.Unauthorized, (await customer.Client.GetAsync(new Uri("/api/customers/me", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await customers.ClientWithToken(secondSession.AccessToken).GetAsync(new Uri("/api/customers/me", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Accounts.RefreshAsync(customers.CreateClient(), customer.Tokens.RefreshToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Accounts.LoginAsync(customers.CreateClient(), customer.Email, Accounts.Password)).StatusCode);
    }

    [Fact]
    public async Task Erasure_tells_inventory_and_payments_with_one_pseudonym_for_both()
    {
        var customer = await customers.NewCustomerAsync();

        await customer.Client.DeleteAsync(new Uri("/api/customers/me", UriKind.Relative));

        var told = new List<CustomerErased>();
        foreach (var queue in new[] { customers.InventoryQueueUrl, customers.PaymentsQueueUrl })
        {
            var body = await TestQueues.WaitForAsync(queue, b => b.Contains(customer.Id.ToString(), StringComparison.Ordinal), TimeSpan.FromSeconds(20));
            Assert.NotNull(body);
            var envelope = JsonSerializer.Deserialize<EventEnvelope>(body, EventEnvelope.Json)!;
            Assert.Equal((EventTypes.CustomerErased, "customers"), (envelope.Type, envelope.Source));
            Assert.DoesNotContain(customer.Email, body, StringComparison.OrdinalIgnoreCase);
            told.Add(envelope.DataAs<CustomerErased>());
        }

        Assert.All(told, erased => Assert.Equal(customer.Id, erased.CustomerId));
        Assert.Equal(told[0].Pseudonym, told[1].Pseudonym);
        Assert.NotEqual(customer.Id, told[0].Pseudonym);
    }

    [Fact]
    public async Task Erasing_one_customer_leaves_the_others_alone()
    {
        var erased = await customers.NewCustomerAsync();
        var kept = await customers.NewCustomerAsync();

        await erased.Client.DeleteAsync(new Uri("/api/customers/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, (await kept.Client.GetAsync(new Uri("/api/customers/me", UriKind.Relative))).StatusCode);
    }

    /// <summary>Every row of every table in the service's database whose text contains one of <paramref name="values"/>.</summary>
    private async Task<List<string>> RowsMentioningAsync(params string[] values)
    {
        await using var scope = customers.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CustomersDb>();
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()!).ToList();
        var found = new List<string>();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        foreach (var table in tables)
        {
            // Table names come from the model, not from input; the values are parameters.
            await using var command = new NpgsqlCommand($"SELECT t::text FROM {table} t WHERE t::text ILIKE ANY(@patterns)", connection);
            command.Parameters.AddWithValue("patterns", values.Select(v => "%" + v + "%").ToArray());
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                found.Add($"{table}: {reader.GetString(0)}");
            }
        }

        return found;
    }
}
