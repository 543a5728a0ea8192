using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Customers.Data;
using Customers.Domain;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Hosting;
using Platform.Postgres;

namespace Customers.Privacy;

/// <summary>
/// Writes pending exports to the documents bucket, oldest first. Claim, call, record: an export is claimed (leased) with
/// <c>FOR UPDATE SKIP LOCKED</c> in a short transaction, so several tasks share the queue without writing one twice;
/// what inventory and payments hold is read and the document written to S3 with no transaction open and no row locked;
/// then it is marked done. While a service or S3 is unavailable the claim is given back and the export is tried again
/// a second later; a crash leaves it to be claimed again once the lease ends. An erasure waits for an export being
/// written (<see cref="PersonalDataEraser"/>); should one erase the customer anyway (a lease outlived), the export is
/// gone when its document is recorded, and the document is deleted.
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
    /// <summary>Longer than writing an export takes: the reads elsewhere give up after 15 s, S3 after a few.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    protected override TimeSpan Interval => TimeSpan.FromSeconds(1);

    /// <summary>Writes the oldest pending export; false when there was none.</summary>
    protected override async Task<bool> RunBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CustomersDb>();
        if (await ClaimAsync(db, cancellationToken) is not { } export)
        {
            return false;
        }

        string? key;
        try
        {
            key = await WriteAsync(db, export, cancellationToken);
        }
        catch
        {
            await GiveBackAsync(db, export);
            throw;
        }

        if (key is not null && !await RecordAsync(db, export.Id, key, cancellationToken))
        {
            // Its customer was erased while it was being written: the document must not outlive them.
            await s3.DeleteObjectAsync(options.Value.DocumentsBucket, key, CancellationToken.None);
        }

        return true;
    }

    private Task<DataExport?> ClaimAsync(CustomersDb db, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var lease = Time.LeaseEnd(Lease);
        return db.InTransactionAsync(async ct =>
        {
            var export = (await db.DataExports.FromSql($"""
                    SELECT * FROM data_exports WHERE status = 'pending' AND (claimed_until IS NULL OR claimed_until < {now})
                    ORDER BY requested_at LIMIT 1 FOR UPDATE SKIP LOCKED
                    """)
                .ToListAsync(ct)).SingleOrDefault();
            export?.Claim(lease);
            await db.SaveChangesAsync(ct);
            return export;
        }, cancellationToken);
    }

    /// <summary>Writes the export's document, holding nothing; its key, or null when the customer is gone already.</summary>
    private async Task<string?> WriteAsync(CustomersDb db, DataExport export, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Id == export.CustomerId, cancellationToken);
        if (customer is null)
        {
            return null;
        }

        var heldElsewhere = await elsewhere.GatherAsync(customer, export.Id, cancellationToken);
        var exports = await db.DataExports.AsNoTracking().Where(e => e.CustomerId == customer.Id).ToListAsync(cancellationToken);
        var document = PersonalDataDocument.From(customer, exports, heldElsewhere, Time.GetUtcNow());
        var key = export.KeyFor();
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = options.Value.DocumentsBucket,
            Key = key,
            ContentType = "application/json",
            ContentBody = JsonSerializer.Serialize(document, json.Value.SerializerOptions),
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
        }, cancellationToken);
        return key;
    }

    /// <summary>Marks the export written; false when it is gone (its customer was erased meanwhile).</summary>
    private Task<bool> RecordAsync(CustomersDb db, Guid exportId, string key, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            var export = (await db.DataExports.FromSql($"SELECT * FROM data_exports WHERE id = {exportId} FOR UPDATE").ToListAsync(ct)).SingleOrDefault();
            if (export is null)
            {
                return false;
            }

            if (export.Status == DataExportStatus.Pending)
            {
                export.Complete(key, Time.GetUtcNow());
                await db.SaveChangesAsync(ct);
            }

            return true;
        }, cancellationToken);

    /// <summary>Gives the claim back at once, so the next round tries again; should that fail too, the lease ends it.</summary>
    private async Task GiveBackAsync(CustomersDb db, DataExport export)
    {
        try
        {
            await db.DataExports.Where(e => e.Id == export.Id && e.ClaimedUntil == export.ClaimedUntil)
                .ExecuteUpdateAsync(e => e.SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null), CancellationToken.None);
        }
        catch (Exception exception)
        {
            Logger.LogError(exception, "Data export {ExportId} could not be given back; it is tried again when its claim ends", export.Id);
        }
    }
}
