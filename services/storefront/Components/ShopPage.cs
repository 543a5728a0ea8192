using Microsoft.AspNetCore.Components;

namespace Storefront.Components;

/// <summary>What every page has: the request it renders for, and its cancellation when the shopper goes away.</summary>
public abstract class ShopPage : ComponentBase
{
    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    protected CancellationToken Aborted => HttpContext?.RequestAborted ?? CancellationToken.None;
}
