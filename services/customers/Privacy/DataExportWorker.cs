using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Customers.Data;
using Customers.Domain;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Aws;
using Platform.Hosting;
using Platform.Postgres;

namespace Customers.Privacy;

/// <summary>
/// Writes pending exports to the documents bucket, oldest first. What inventory and payments hold is read first, with
/// nothing claimed or held; while either is unavailable the export stays pending and is tried again a second later.
/// Then claim, call, record: the export is claimed (leased) with <c>FOR UPDATE SKIP LOCKED</c> in a short transaction,
/// so several tasks do not write one twice; the document is written to S3 with no transaction open and no row locked;
/// then it is marked done. A failed write gives the claim back at once; a crash leaves it until the lease ends. An
/// erasure waits for a claimed export (<see cref="PersonalDataEraser"/>); should it erase the customer anyway (a write
/// that outlived its lease), the export is gone when the write is recorded, and the document is deleted.
/// </summary>
internal sealed class DataExportWorker(
    IServiceScopeFactory scopes,
    IAmazonS3 s3,
    PersonalDataElsewhere elsewhere,
    IOptions<CustomersOptions> options,
    IOptions<AwsOptions> aws,
    IOptions<JsonOptions> json,
    TimeProvider time,
    ILogger<DataExportWorker> logger) : PollingWorker(time, logger)
{
    private readonly TimeSpan _lease = Leases.Covering(aws.Value.LongestCall);

    protected override TimeSpan Interval => TimeSpan.FromSeconds(1);

    /// <summary>Writes the oldest pending export no one is writing; false when there was none.</summary>
    protected override async Task<bool> RunBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CustomersDb>();
        var now = Time.GetUtcNow();
        var next = await db.DataExports.AsNoTracking()
            .Where(e => e.Status == DataExportStatus.Pending && (e.ClaimedUntil == null || e.ClaimedUntil < now))
            .OrderBy(e => e.RequestedAt)
            .Join(db.Customers, e => e.CustomerId, c => c.Id, (e, c) => new { Export = e, Customer = c })
            .FirstOrDefaultAsync(cancellationToken);
        if (next is null)
        {
            return false;
        }

        var heldElsewhere = await elsewhere.GatherAsync(next.Customer, next.Export.Id, cancellationToken);
        var lease = Time.LeaseEnd(_lease);
        if (!await ClaimAsync(db, next.Export.Id, lease, cancellationToken))
        {
            return true; // another task claimed it meanwhile, or the customer was erased
        }

        (string Key, string? Version) written;
        try
        {
            written = await WriteAsync(db, next.Customer, next.Export, heldElsewhere, cancellationToken);
        }
        catch
        {
            await GiveBackAsync(db, next.Export.Id, lease);
            throw;
        }

        if (!await RecordAsync(db, next.Export.Id, written.Key, lease, cancellationToken))
        {
            // Its customer was erased while it was being written: the document (the very version) must not outlive them.
            await s3.DeleteObjectAsync(
                new DeleteObjectRequest { BucketName = options.Value.DocumentsBucket, Key = written.Key, VersionId = written.Version }, CancellationToken.None);
        }

        return true;
    }

    private Task<bool> ClaimAsync(CustomersDb db, Guid exportId, DateTimeOffset lease, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        return db.InTransactionAsync(async ct =>
        {
            var export = (await db.DataExports.FromSql($"""
                    SELECT * FROM data_exports WHERE id = {exportId} AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < {now})
                    FOR UPDATE SKIP LOCKED
                    """)
                .ToListAsync(ct)).SingleOrDefault();
            export?.Claim(lease);
            await db.SaveChangesAsync(ct);
            return export is not null;
        }, cancellationToken);
    }

    /// <summary>Writes the export's document with nothing held; returns its key and version.</summary>
    private async Task<(string Key, string? Version)> WriteAsync(
        CustomersDb db, Customer customer, DataExport export, HeldElsewhere heldElsewhere, CancellationToken cancellationToken)
    {
        var exports = await db.DataExports.AsNoTracking().Where(e => e.CustomerId == customer.Id).ToListAsync(cancellationToken);
        var document = PersonalDataDocument.From(customer, exports, heldElsewhere, Time.GetUtcNow());
        var key = export.KeyFor();
        var put = await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = options.Value.DocumentsBucket,
            Key = key,
            ContentType = "application/json",
            ContentBody = JsonSerializer.Serialize(document, json.Value.SerializerOptions),
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
        }, cancellationToken);
        return (key, put.VersionId);
    }

    /// <summary>Marks the export written and ends this claim; false when the export is gone (its customer was erased).</summary>
    private Task<bool> RecordAsync(CustomersDb db, Guid exportId, string key, DateTimeOffset lease, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            var export = await db.DataExports.Where(e => e.Id == exportId).ForUpdate().SingleOrDefaultAsync(ct);
            if (export is null)
            {
                return false;
            }

            if (export.Status == DataExportStatus.Pending)
            {
                export.Complete(key, Time.GetUtcNow());
            }

            export.EndClaim(lease);
            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);

    /// <summary>Gives the claim back at once, so the next round tries again; should that fail too, the lease ends it.</summary>
    private async Task GiveBackAsync(CustomersDb db, Guid exportId, DateTimeOffset lease)
    {
        try
        {
            await db.DataExports.Where(e => e.Id == exportId && e.ClaimedUntil == lease)
                .ExecuteUpdateAsync(e => e.SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null), CancellationToken.None);
        }
        catch (Exception exception)
        {
            Logger.LogError(exception, "Data export {ExportId} could not be given back; it is tried again when its claim ends", exportId);
        }
    }
}
