using Microsoft.AspNetCore.Components;
using Storefront.Clients;
using Storefront.Sessions;

namespace Storefront.Components.Pages.Admin;

/// <summary>
/// What every admin page has: the admin's access token (anyone else finds no such page), and a change's refusal by the
/// API (a SKU taken, hours that overlap) said on its form.
/// </summary>
public abstract class AdminPage : ShopPage
{
    protected string Token { get; private set; } = "";

    protected string? Error { get; set; }

    [Inject]
    private ShopperSession Session { get; set; } = null!;

    protected async Task RequireAdminAsync() => Token = await Session.RequireAdminTokenAsync(Aborted);

    protected async Task ChangeAsync(Func<Task> change)
    {
        try
        {
            await change();
        }
        catch (ApiProblemException refused)
        {
            Error = refused.ShopperMessage;
        }
    }
}
