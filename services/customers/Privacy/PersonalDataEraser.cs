using Amazon.S3;
using Amazon.S3.Model;
using Customers.Auth;
using Customers.Data;
using Customers.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Errors;
using Platform.Messaging;
using Platform.Postgres;

namespace Customers.Privacy;

/// <summary>
/// Erases a customer irreversibly (GDPR article 17): the account row and its exports are deleted, not masked, the
/// export documents are deleted from S3, and every session ends. In the same transaction as the account,
/// <c>customer.erased</c> goes into the outbox for inventory and payments, which then replace the customer's id on what
/// they keep with one random pseudonym (docs/privacy.md).
/// </summary>
public sealed class PersonalDataEraser(CustomersDb db, IAmazonS3 s3, Sessions sessions, IOptions<CustomersOptions> options, TimeProvider time)
{
    /// <summary>How long an erasure waits for an export of the customer's being written (an S3 upload) before it answers 503.</summary>
    private static readonly TimeSpan LongestWaitForExport = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan ExportCheckInterval = TimeSpan.FromMilliseconds(250);

    private enum Outcome
    {
        Erased,
        NoSuchCustomer,
        ExportBeingWritten,
    }

    /// <summary>False when there is no such customer.</summary>
    public async Task<bool> EraseAsync(Guid customerId, CancellationToken cancellationToken)
    {
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            await sessions.EndAllAsync(customerId); // an erasure whose answer was lost and is asked again: none may live on
            return false;
        }

        var giveUpAt = time.GetUtcNow() + LongestWaitForExport;
        Outcome outcome;
        // Claim, call, record: the documents are deleted with nothing held, then the account in a transaction, unless an
        // export wrote a document since (then the documents again), so no S3 call waits with the customer's row locked.
        while ((outcome = await DeleteDocumentsThenAccountAsync(customerId, cancellationToken)) == Outcome.ExportBeingWritten)
        {
            if (time.GetUtcNow() >= giveUpAt)
            {
                throw new DependencyUnavailableException("data export", $"An export is still being written for customer {customerId}.");
            }

            await Task.Delay(ExportCheckInterval, time, cancellationToken);
        }

        await sessions.EndAllAsync(customerId);
        return outcome == Outcome.Erased;
    }

    private async Task<Outcome> DeleteDocumentsThenAccountAsync(Guid customerId, CancellationToken cancellationToken)
    {
        var writtenBefore = await db.DataExports.AsNoTracking()
            .Where(e => e.CustomerId == customerId && e.Status == DataExportStatus.Completed).Select(e => e.Id).ToListAsync(cancellationToken);
        await DeleteDocumentsAsync(customerId, cancellationToken);
        return await db.InTransactionAsync(async ct =>
        {
            var customer = await db.Customers.Where(c => c.Id == customerId).ForUpdate().SingleOrDefaultAsync(ct);
            if (customer is null)
            {
                return Outcome.NoSuchCustomer;
            }

            // Locked, no export of theirs can be claimed or recorded until this commits. One being written may put its
            // document after the deletion above, and one recorded since did: both mean waiting and deleting again.
            var exports = await db.DataExports.Where(e => e.CustomerId == customerId).ForUpdate().ToListAsync(ct);
            var now = time.GetUtcNow();
            if (exports.Exists(e => e.IsBeingWritten(now) || (e.Status == DataExportStatus.Completed && !writtenBefore.Contains(e.Id))))
            {
                return Outcome.ExportBeingWritten;
            }

            db.Customers.Remove(customer); // its exports go with it (cascade)
            var erasure = new CustomerErased(customerId, Pseudonym: Guid.NewGuid());
            foreach (var queue in new[] { options.Value.InventoryQueue, options.Value.PaymentsQueue })
            {
                db.Publish(queue, EventEnvelope.Create(EventTypes.CustomerErased, "customers", erasure, now));
            }

            await db.SaveChangesAsync(ct);
            return Outcome.Erased;
        }, cancellationToken);
    }

    /// <summary>
    /// Deletes every version of every document under the customer's prefix, and the delete markers: the bucket keeps
    /// versions, and deleting only the current one would leave the old one readable until the bucket's rule removes it.
    /// </summary>
    private async Task DeleteDocumentsAsync(Guid customerId, CancellationToken cancellationToken)
    {
        var bucket = options.Value.DocumentsBucket;
        var listing = new ListVersionsRequest { BucketName = bucket, Prefix = DataExport.KeyPrefix(customerId) };
        ListVersionsResponse page;
        do
        {
            page = await s3.ListVersionsAsync(listing, cancellationToken);
            if (page.Versions is { Count: > 0 } versions)
            {
                await s3.DeleteObjectsAsync(new DeleteObjectsRequest
                {
                    BucketName = bucket,
                    Objects = [.. versions.Select(v => new KeyVersion { Key = v.Key, VersionId = v.VersionId })],
                }, cancellationToken);
            }

            (listing.KeyMarker, listing.VersionIdMarker) = (page.NextKeyMarker, page.NextVersionIdMarker);
        }
        while (page.IsTruncated == true);
    }
}
