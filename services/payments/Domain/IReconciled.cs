namespace Payments.Domain;

/// <summary>A row the reconciler settles when <see cref="ReconcileAt"/> comes, unless it was settled before.</summary>
public interface IReconciled
{
    DateTimeOffset CreatedAt { get; }

    DateTimeOffset? ReconcileAt { get; set; }
}
