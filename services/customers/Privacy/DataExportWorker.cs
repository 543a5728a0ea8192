using Platform.Postgres;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Customers.Data;
using Customers.Domain;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Hosting;

namespace Customers.Privacy;

/// <summary>
/// Writes pending exports to the documents bucket, oldest first. What inventory and payments hold is read before any
/// transaction (no transaction waits on another service); while one of them is unavailable the export stays pending
/// and is tried again. The export is then claimed with <c>FOR UPDATE SKIP LOCKED</c>, so several tasks share the queue
/// without writing one twice, and marked done in the same transaction only after S3 has the document; a crash leaves
/// it pending and it is written again. The customer row is read <c>FOR SHARE</c>, so an erasure waits for an export in
/// flight and then deletes its document too.
/// </summary>
internal sealed class DataExportWorker(
    IServiceScopeFactory scopes,
    IAmazonS3 s3,
    PersonalDataElsewhere elsewhere,
    IOptions<CustomersOptions> options,
    IOptions<JsonOptions> json,
    TimeProvider time,
    ILogger<DataExportWorker> logger) : PollingWorker(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(1);

    /// <summary>Writes the oldest pending export; false when there was none.</summary>
    protected override async Task<bool> RunBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CustomersDb>();
        var next = await db.DataExports.AsNoTracking()
            .Where(e => e.Status == DataExportStatus.Pending)
            .OrderBy(e => e.RequestedAt)
            .Join(db.Customers, e => e.CustomerId, c => c.Id, (e, c) => new { Export = e, Customer = c })
            .FirstOrDefaultAsync(cancellationToken);
        if (next is null)
        {
            return false;
        }

        var heldElsewhere = await elsewhere.GatherAsync(next.Customer, next.Export.Id, cancellationToken);
        await db.InTransactionAsync(async ct =>
        {
            var export = (await db.DataExports
                .FromSql($"SELECT * FROM data_exports WHERE id = {next.Export.Id} AND status = 'pending' FOR UPDATE SKIP LOCKED")
                .ToListAsync(ct)).SingleOrDefault();
            var customer = (await db.Customers.FromSql($"SELECT * FROM customers WHERE id = {next.Customer.Id} FOR SHARE").ToListAsync(ct)).SingleOrDefault();
            if (export is null || customer is null)
            {
                return; // another task wrote it, or the customer was erased meanwhile
            }

            var exports = await db.DataExports.Where(e => e.CustomerId == customer.Id).ToListAsync(ct);
            var document = PersonalDataDocument.From(customer, exports, heldElsewhere, Time.GetUtcNow());
            var key = export.KeyFor();
            await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = options.Value.DocumentsBucket,
                Key = key,
                ContentType = "application/json",
                ContentBody = JsonSerializer.Serialize(document, json.Value.SerializerOptions),
                ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
            }, ct);

            export.Complete(key, Time.GetUtcNow());
            await db.SaveChangesAsync(ct);
        }, cancellationToken);
        return true;
    }
}
