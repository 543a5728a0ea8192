using System.Security.Claims;
using Customers.Data;
using Customers.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Aws;
using Platform.Postgres;
using Platform.Security;

namespace Customers.Apis;

public static class DataExportsApi
{
    private static readonly TimeSpan DownloadLifetime = TimeSpan.FromMinutes(15);

    public static IEndpointRouteBuilder MapDataExportsApi(this IEndpointRouteBuilder endpoints)
    {
        var exports = endpoints.MapGroup("/api/customers/me/export").WithTags("Profile").RequireAuthorization(Roles.Customer);
        exports.MapPost("/", RequestExport).WithName("RequestDataExport")
            .WithSummary("Start writing all of the caller's personal data to a JSON document (GDPR).");
        exports.MapGet("/{id:guid}", GetExport).WithName("GetDataExport")
            .WithSummary("An export's status and, once written, a download URL valid for 15 minutes.");
        return endpoints;
    }

    private static async Task<Accepted<DataExportResponse>> RequestExport(ClaimsPrincipal user, CustomersDb db, CancellationToken cancellationToken)
    {
        var customerId = user.CustomerId();
        // One pending export at a time is enough: asking again returns the one already on its way.
        var export = await db.DataExports.AsNoTracking()
            .SingleOrDefaultAsync(e => e.CustomerId == customerId && e.Status == DataExportStatus.Pending, cancellationToken);
        if (export is null)
        {
            export = new DataExport { CustomerId = customerId };
            db.DataExports.Add(export);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException conflict) when (conflict.IsUniqueViolation())
            {
                // Another request of this customer's made one at the same moment: that one is on its way.
                export = await db.DataExports.AsNoTracking().Where(e => e.CustomerId == customerId)
                    .OrderByDescending(e => e.RequestedAt).FirstAsync(cancellationToken);
            }
        }

        return TypedResults.Accepted($"/api/customers/me/export/{export.Id}",
            new DataExportResponse(export.Id, export.Status, export.RequestedAt, null, null, null));
    }

    private static async Task<Results<Ok<DataExportResponse>, NotFound>> GetExport(
        Guid id, ClaimsPrincipal user, CustomersDb db, PresignedUrls urls, IOptions<CustomersOptions> options, CancellationToken cancellationToken)
    {
        var export = await db.DataExports.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id && e.CustomerId == user.CustomerId(), cancellationToken);
        if (export is null)
        {
            return TypedResults.NotFound();
        }

        var download = export.ObjectKey is { } key ? await urls.DownloadAsync(options.Value.DocumentsBucket, key, DownloadLifetime) : null;
        return TypedResults.Ok(new DataExportResponse(export.Id, export.Status, export.RequestedAt, export.CompletedAt, download?.Url, download?.ExpiresAt));
    }
}

public sealed record DataExportResponse(
    Guid Id, DataExportStatus Status, DateTimeOffset RequestedAt, DateTimeOffset? CompletedAt, string? DownloadUrl, DateTimeOffset? DownloadExpiresAt);
