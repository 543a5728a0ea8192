namespace Customers.Domain;

public enum DataExportStatus
{
    Pending,
    Completed,
}

/// <summary>A customer's request for a copy of their personal data, written as JSON to the documents bucket.</summary>
public sealed class DataExport
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required Guid CustomerId { get; init; }

    public DataExportStatus Status { get; private set; } = DataExportStatus.Pending;

    /// <summary>The object's key in the documents bucket, once written.</summary>
    public string? ObjectKey { get; private set; }

    public DateTimeOffset RequestedAt { get; init; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>Until when a worker that claimed it is writing it; another worker leaves it alone till then.</summary>
    public DateTimeOffset? ClaimedUntil { get; private set; }

    /// <summary>Where a customer's exports live; erasing the customer deletes everything under it.</summary>
    public static string KeyPrefix(Guid customerId) => $"exports/{customerId}/";

    public string KeyFor() => $"{KeyPrefix(CustomerId)}{Id}.json";

    public void Claim(DateTimeOffset until) => ClaimedUntil = until;

    /// <summary>Ends the claim that lasts until <paramref name="until"/>, and not another worker's made after it lapsed.</summary>
    public void EndClaim(DateTimeOffset until)
    {
        if (ClaimedUntil == until)
        {
            ClaimedUntil = null;
        }
    }

    /// <summary>Whether a worker may be writing its document at <paramref name="now"/> (even one already completed by another).</summary>
    public bool IsBeingWritten(DateTimeOffset now) => ClaimedUntil > now;

    public void Complete(string objectKey, DateTimeOffset at)
    {
        ObjectKey = objectKey;
        CompletedAt = at;
        Status = DataExportStatus.Completed;
    }
}
