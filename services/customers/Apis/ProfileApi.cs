using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Customers.Data;
using Customers.Domain;
using Customers.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Platform.Postgres;
using Platform.Security;

namespace Customers.Apis;

public static class ProfileApi
{
    public static IEndpointRouteBuilder MapProfileApi(this IEndpointRouteBuilder endpoints)
    {
        var me = endpoints.MapGroup("/api/customers/me").WithTags("Profile").RequireAuthorization(Roles.Customer);
        me.MapGet("/", GetProfile).WithName("GetProfile").WithSummary("The caller's profile.");
        me.MapPatch("/", UpdateProfile).WithName("UpdateProfile").WithSummary("Change the caller's name; email and role are not writable here.");
        me.MapDelete("/", Erase).WithName("EraseMe").WithSummary("Erase the caller's personal data and end every session (GDPR).");
        return endpoints;
    }

    // Every signed-in page asks for it: a hot read (the platform's HotReads).
    private static async Task<Results<Ok<CustomerResponse>, NotFound>> GetProfile(
        ClaimsPrincipal user, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        var found = await database.QueryAsync("SELECT id, email, name, role, created_at FROM customers WHERE id = $1", [user.CustomerId()],
            row => new CustomerResponse(row.Get<Guid>("id"), row.Get<string>("email"), row.Get<string>("name"), row.Get<string>("role"),
                row.Get<DateTimeOffset>("created_at")),
            cancellationToken);
        return found is [var customer] ? TypedResults.Ok(customer) : TypedResults.NotFound();
    }

    private static async Task<Results<Ok<CustomerResponse>, ValidationProblem, NotFound>> UpdateProfile(
        UpdateProfileRequest request, ClaimsPrincipal user, CustomersDb db, CancellationToken cancellationToken)
    {
        if (AccountRules.ProfileErrors(request.Name) is { } errors)
        {
            return errors.ToProblem();
        }

        if (await db.Customers.SingleOrDefaultAsync(c => c.Id == user.CustomerId(), cancellationToken) is not { } customer)
        {
            return TypedResults.NotFound();
        }

        customer.Name = request.Name!.Trim();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(CustomerResponse.From(customer));
    }

    private static async Task<Results<NoContent, NotFound>> Erase(ClaimsPrincipal user, PersonalDataEraser eraser, CancellationToken cancellationToken) =>
        await eraser.EraseAsync(user.CustomerId(), cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
}

/// <summary>Only the name: a body that tries to set anything else (role, email) is refused with 400.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record UpdateProfileRequest([property: MaxLength(AccountRules.MaximumNameLength)] string? Name);
