using System.Text.Json;
using Customers.Domain;

namespace Customers.Privacy;

/// <summary>
/// Everything the services hold about a customer, as the export writes it (GDPR article 15 and 20): the account here,
/// and the reservations and payments as inventory and payments give them.
/// </summary>
public sealed record PersonalDataDocument(
    DateTimeOffset ExportedAt,
    PersonalDataDocument.Profile Customer,
    IReadOnlyList<PersonalDataDocument.ExportRequest> DataExports,
    JsonElement Inventory,
    JsonElement Payments)
{
    public static PersonalDataDocument From(Customer customer, IEnumerable<DataExport> exports, HeldElsewhere elsewhere, DateTimeOffset exportedAt) => new(
        exportedAt,
        new Profile(customer.Id, customer.Email, customer.Name, customer.Role, customer.CreatedAt),
        [.. exports.OrderBy(e => e.RequestedAt).Select(e => new ExportRequest(e.Id, e.RequestedAt, e.CompletedAt))],
        elsewhere.Inventory,
        elsewhere.Payments);

    public sealed record Profile(Guid Id, string Email, string Name, string Role, DateTimeOffset CreatedAt);

    public sealed record ExportRequest(Guid Id, DateTimeOffset RequestedAt, DateTimeOffset? CompletedAt);
}
