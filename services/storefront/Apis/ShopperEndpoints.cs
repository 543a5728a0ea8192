using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Storefront.Clients;
using Storefront.Components;
using Storefront.Sessions;

namespace Storefront.Apis;

public static class ShopperEndpoints
{
    /// <summary>
    /// The two routes that are not pages: an order's state as JSON, which the order page polls until inventory commits
    /// or releases it, and sign-out, a form POST (antiforgery-checked) that ends the session here and at customers.
    /// </summary>
    public static IEndpointRouteBuilder MapShopperEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/orders/{id:guid}/status", OrderStatus).WithName("OrderStatus").ExcludeFromDescription();
        endpoints.MapPost("/account/signout", SignOut).WithName("SignOut").DisableAntiforgery().ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<Results<Ok<OrderStatusResponse>, UnauthorizedHttpResult, NotFound>> OrderStatus(
        Guid id, ShopperSession session, InventoryApi inventory, PaymentsApi payments, CancellationToken cancellationToken)
    {
        if (await session.AccessTokenAsync(cancellationToken) is not { } token)
        {
            return TypedResults.Unauthorized();
        }

        try
        {
            var reservation = await inventory.ReservationAsync(id, token, cancellationToken);
            var payment = (await payments.ForReservationAsync(id, token, cancellationToken)).MaxBy(p => p.CreatedAt);
            return TypedResults.Ok(new OrderStatusResponse(
                reservation.Status, OrderStates.Describe(reservation.Status), payment?.Status, OrderStates.DescribePayment(payment)));
        }
        catch (ApiNotFoundException)
        {
            return TypedResults.NotFound();
        }
        catch (ShopperUnauthorizedException)
        {
            return TypedResults.Unauthorized();
        }
    }

    // The form's token is checked here (a page's forms are checked by the framework): a link on another site cannot
    // sign a shopper out.
    private static async Task<Results<RedirectHttpResult, BadRequest>> SignOut(
        HttpContext context, IAntiforgery antiforgery, ShopperSession session, CustomersApi customers, ILoggerFactory logs,
        CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.BadRequest();
        }

        var data = await session.DataAsync(cancellationToken);
        if (data.AccessToken is not null && await session.AccessTokenAsync(cancellationToken) is { } token)
        {
            try
            {
                await customers.LogoutAsync(token, cancellationToken);
            }
            catch (Exception exception) when (exception is ShopperUnauthorizedException or ApiProblemException)
            {
                // Already ended at customers: nothing left to revoke.
                logs.CreateLogger(typeof(ShopperEndpoints)).LogInformation("The session was already ended at customers");
            }
        }

        await session.EndAsync(cancellationToken);
        return TypedResults.Redirect("/");
    }
}

public sealed record OrderStatusResponse(string Status, string Label, string? PaymentStatus, string PaymentLabel);
