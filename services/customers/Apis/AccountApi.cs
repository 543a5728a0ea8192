using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Customers.Auth;
using Customers.Data;
using Customers.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Api;
using Platform.Postgres;
using Platform.Security;

namespace Customers.Apis;

public static class AccountApi
{
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/api/customers").WithTags("Account");
        account.MapPost("/register", Register).ProducesProblem(StatusCodes.Status409Conflict).WithName("Register").WithSummary("Create a customer account.");
        account.MapPost("/login", Login).ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithName("Login").WithSummary("Exchange email and password for an access and a refresh token.");
        account.MapPost("/refresh", Refresh).ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithName("Refresh").WithSummary("Exchange a refresh token for a new pair; the old one stops working.");
        account.MapPost("/logout", Logout).RequireAuthorization(Roles.Customer)
            .WithName("Logout").WithSummary("End the session of the presented access token and its refresh token.");
        return endpoints;
    }

    private static async Task<Results<Created<CustomerResponse>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterRequest request, CustomersDb db, Passwords passwords, CancellationToken cancellationToken)
    {
        if (AccountRules.RegistrationErrors(request.Email, request.Password, request.Name) is { } errors)
        {
            return errors.ToProblem();
        }

        var customer = new Customer { Email = request.Email!.Trim(), Name = request.Name!.Trim() };
        passwords.SetPassword(customer, request.Password!);
        db.Customers.Add(customer);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Email already registered",
                detail: "An account with this email exists; log in instead.");
        }

        return TypedResults.Created("/api/customers/me", CustomerResponse.From(customer));
    }

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Login(
        LoginRequest request, HttpContext http, CustomersDb db, Passwords passwords, LoginThrottle throttle, TokenIssuer tokens,
        LoginMetrics metrics, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Email) || string.IsNullOrEmpty(request.Password))
        {
            return ValidationErrors.Problem("credentials", "email and password are required.");
        }

        var email = Customer.Normalize(request.Email);
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (await throttle.CountAttemptAsync(email, client) is { } refused)
        {
            metrics.Throttled(refused.Limit);
            http.Response.SetRetryAfter(refused.Wait);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed logins",
                detail: $"Logins are paused here: the limit {refused.Limit} was reached; retry after the time in Retry-After.",
                extensions: new Dictionary<string, object?> { ["limit"] = refused.Limit });
        }

        var customer = await db.Customers.SingleOrDefaultAsync(c => c.NormalizedEmail == email, cancellationToken);
        if (request.Password.Length > AccountRules.MaximumPasswordLength || !passwords.Verify(customer, request.Password))
        {
            metrics.Failed();
            return InvalidCredentials();
        }

        await db.SaveChangesAsync(cancellationToken); // a re-hashed password, if the hasher asked for one
        await throttle.SucceededAsync(email, client);
        return TypedResults.Ok(await tokens.StartSessionAsync(customer!, http, cancellationToken));
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> Refresh(
        RefreshRequest request, HttpContext http, CustomersDb db, Sessions sessions, TokenIssuer tokens, CancellationToken cancellationToken)
    {
        if (await sessions.RotateAsync(request.RefreshToken) is not { } session)
        {
            return InvalidRefreshToken();
        }

        var customer = await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Id == session.CustomerId, cancellationToken);
        if (customer is null)
        {
            await sessions.EndAsync(session.SessionId);
            return InvalidRefreshToken();
        }

        return TypedResults.Ok(await tokens.ContinueSessionAsync(customer, session, http, cancellationToken));
    }

    private static async Task<NoContent> Logout(ClaimsPrincipal user, Sessions sessions)
    {
        if (user.FindFirstValue(AccessTokens.SessionClaim) is { } sessionId)
        {
            await sessions.EndAsync(sessionId);
        }

        return TypedResults.NoContent();
    }

    // One answer for an unknown email and a wrong password, so the response does not reveal which accounts exist.
    private static ProblemHttpResult InvalidCredentials() =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid credentials", detail: "The email or the password is wrong.");

    private static ProblemHttpResult InvalidRefreshToken() =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid refresh token",
            detail: "The refresh token is unknown, expired or already used; log in again.");
}

// The attributes state AccountRules' bounds in the OpenAPI document; the rules enforce them. (A login with a longer email
// or password matches no account.)
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RegisterRequest(
    [property: MaxLength(AccountRules.MaximumEmailLength), EmailAddress] string? Email,
    [property: MinLength(AccountRules.MinimumPasswordLength), MaxLength(AccountRules.MaximumPasswordLength)] string? Password,
    [property: MaxLength(AccountRules.MaximumNameLength)] string? Name);

public sealed record LoginRequest(
    [property: MaxLength(AccountRules.MaximumEmailLength), EmailAddress] string? Email,
    [property: MaxLength(AccountRules.MaximumPasswordLength)] string? Password);

public sealed record RefreshRequest([property: MaxLength(Sessions.MaxRefreshTokenLength)] string? RefreshToken);
