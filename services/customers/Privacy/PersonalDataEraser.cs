using Amazon.S3;
using Amazon.S3.Model;
using Customers.Auth;
using Customers.Data;
using Customers.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Messaging;
using Platform.Postgres;

namespace Customers.Privacy;

/// <summary>
/// Erases a customer irreversibly (GDPR article 17): the account row and its exports are deleted, not masked, the
/// export documents are deleted from S3, and every session ends. In the same transaction <c>customer.erased</c> goes
/// into the outbox for inventory and payments, which then replace the customer's id on what they keep with one random
/// pseudonym (docs/privacy.md).
/// </summary>
public sealed class PersonalDataEraser(CustomersDb db, IAmazonS3 s3, Sessions sessions, IOptions<CustomersOptions> options, TimeProvider time)
{
    /// <summary>False when there is no such customer.</summary>
    public async Task<bool> EraseAsync(Guid customerId, CancellationToken cancellationToken)
    {
        var erased = await db.InTransactionAsync(async ct =>
        {
            // Waits for an export being written for this customer, so its document is deleted below as well.
            var customer = (await db.Customers.FromSql($"SELECT * FROM customers WHERE id = {customerId} FOR UPDATE").ToListAsync(ct)).SingleOrDefault();
            if (customer is null)
            {
                return false;
            }

            await DeleteDocumentsAsync(customerId, ct);
            db.Customers.Remove(customer); // its exports go with it (cascade)
            var erasure = new CustomerErased(customerId, Pseudonym: Guid.NewGuid());
            foreach (var queue in new[] { options.Value.InventoryQueue, options.Value.PaymentsQueue })
            {
                db.Publish(queue, EventEnvelope.Create(EventTypes.CustomerErased, "customers", erasure, time.GetUtcNow()));
            }

            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);

        if (erased)
        {
            await sessions.EndAllAsync(customerId);
        }

        return erased;
    }

    private async Task DeleteDocumentsAsync(Guid customerId, CancellationToken cancellationToken)
    {
        var bucket = options.Value.DocumentsBucket;
        var listing = new ListObjectsV2Request { BucketName = bucket, Prefix = DataExport.KeyPrefix(customerId) };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(listing, cancellationToken);
            if (page.S3Objects is { Count: > 0 } objects)
            {
                await s3.DeleteObjectsAsync(new DeleteObjectsRequest
                {
                    BucketName = bucket,
                    Objects = [.. objects.Select(o => new KeyVersion { Key = o.Key })],
                }, cancellationToken);
            }

            listing.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
    }
}
