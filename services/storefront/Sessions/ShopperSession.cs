using Platform.Security;
using Storefront.Clients;

namespace Storefront.Sessions;

/// <summary>
/// The session of the browser making this request: read from Redis on first use through the HttpOnly cookie, created
/// only when something must be kept (a cart line, a sign-in). It hands out the shopper's access token, refreshed when
/// it is about to expire, and never anything the browser could read.
/// </summary>
public sealed class ShopperSession(
    IHttpContextAccessor requests, SessionStore store, CustomersApi customers, TimeProvider time, ILogger<ShopperSession> logger)
{
    /// <summary>The cookie: <c>__Host-</c> so it is Secure, for this host only and for every path.</summary>
    public const string CookieName = "__Host-shop";

    private static readonly TimeSpan RefreshAhead = TimeSpan.FromSeconds(30);

    private string? _id;
    private SessionData? _data;
    private Task? _loading;

    private HttpContext Http => requests.HttpContext ?? throw new InvalidOperationException("A shopper's session exists only within a request.");

    public async Task<SessionData> DataAsync(CancellationToken cancellationToken)
    {
        // One read per request, shared: the layout and the page ask for it at once while each awaits.
        await (_loading ??= LoadAsync(cancellationToken));
        return _data ?? new SessionData();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var id = Http.Request.Cookies[CookieName];
        if (SessionStore.IsWellFormed(id) && await store.LoadAsync(id!, cancellationToken) is { } data)
        {
            _id = id;
            _data = data;
        }
    }

    public async Task SaveAsync(SessionData data, CancellationToken cancellationToken)
    {
        await DataAsync(cancellationToken);
        if (_id is null)
        {
            _id = SessionStore.NewId();
            Http.Response.Cookies.Append(CookieName, _id, CookieOptions());
        }

        _data = data;
        await store.SaveAsync(_id, data, cancellationToken);
    }

    /// <summary>Signs in: a new session id (so one fixed before sign-in is worthless), keeping the cart.</summary>
    public async Task SignInAsync(Tokens tokens, Profile profile, CancellationToken cancellationToken)
    {
        var previous = await DataAsync(cancellationToken);
        if (_id is not null)
        {
            await store.DeleteAsync(_id, cancellationToken);
            _id = null;
        }

        await SaveAsync(previous with
        {
            AccessToken = tokens.AccessToken,
            RefreshToken = tokens.RefreshToken,
            AccessTokenExpiresAt = time.GetUtcNow().AddSeconds(tokens.ExpiresIn),
            CustomerId = profile.Id,
            Email = profile.Email,
            Name = profile.Name,
            Role = profile.Role,
            PaymentKeys = new Dictionary<Guid, string>(),
            CheckoutTraces = new Dictionary<Guid, string>(),
        }, cancellationToken);
    }

    /// <summary>Ends the session here and its cookie; the caller revokes the tokens at customers first.</summary>
    public async Task EndAsync(CancellationToken cancellationToken)
    {
        await DataAsync(cancellationToken);
        if (_id is not null)
        {
            await store.DeleteAsync(_id, cancellationToken);
        }

        _id = null;
        _data = null;
        Http.Response.Cookies.Delete(CookieName, CookieOptions());
    }

    /// <summary>Forgets the tokens customers no longer accepts (the shopper signs in again); the cart stays.</summary>
    public async Task ForgetTokensAsync(CancellationToken cancellationToken)
    {
        var data = await DataAsync(cancellationToken);
        if (_id is not null && data.AccessToken is not null)
        {
            await SaveAsync(data with { AccessToken = null, RefreshToken = null, CustomerId = null, Email = null, Name = null, Role = null },
                cancellationToken);
        }
    }

    /// <summary>The shopper's access token, refreshed first when it expires within 30 seconds; null when not signed in.</summary>
    public async Task<string?> AccessTokenAsync(CancellationToken cancellationToken)
    {
        var data = await DataAsync(cancellationToken);
        if (data.AccessToken is null || data.RefreshToken is null || _id is null)
        {
            return null;
        }

        if (data.AccessTokenExpiresAt - RefreshAhead > time.GetUtcNow())
        {
            return data.AccessToken;
        }

        var id = _id;
        var refreshed = await store.WithRefreshLockAsync(id, async () =>
        {
            // Another request of this browser may have refreshed it while this one waited for the lock.
            var current = await store.LoadAsync(id, cancellationToken);
            if (current?.RefreshToken is null)
            {
                _data = null;
                return;
            }

            if (current.AccessTokenExpiresAt - RefreshAhead > time.GetUtcNow())
            {
                _data = current;
                return;
            }

            try
            {
                var tokens = await customers.RefreshAsync(current.RefreshToken, cancellationToken);
                _data = current with
                {
                    AccessToken = tokens.AccessToken,
                    RefreshToken = tokens.RefreshToken,
                    AccessTokenExpiresAt = time.GetUtcNow().AddSeconds(tokens.ExpiresIn),
                };
                await store.SaveAsync(id, _data, cancellationToken);
            }
            catch (ApiProblemException refused)
            {
                logger.LogInformation("The shopper's session could not be refreshed ({Status}); they sign in again", (int)refused.Status);
                _data = current with { AccessToken = null, RefreshToken = null };
                await store.SaveAsync(id, _data, cancellationToken);
            }
        }, cancellationToken);

        if (!refreshed)
        {
            _data = await store.LoadAsync(id, cancellationToken);
        }

        return _data?.AccessToken;
    }

    /// <summary>The access token, or <see cref="ShopperUnauthorizedException"/>: the page sends the shopper to sign in.</summary>
    public async Task<string> RequireAccessTokenAsync(CancellationToken cancellationToken) =>
        await AccessTokenAsync(cancellationToken) ?? throw new ShopperUnauthorizedException("The shopper is not signed in.");

    /// <summary>The access token of a signed-in admin. To anyone else the admin pages are not found.</summary>
    public async Task<string> RequireAdminTokenAsync(CancellationToken cancellationToken)
    {
        var token = await RequireAccessTokenAsync(cancellationToken);
        return (await DataAsync(cancellationToken)).Role == Roles.Admin ? token : throw new ApiNotFoundException("Only an admin has the admin pages.");
    }

    public static CookieOptions CookieOptions() => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        IsEssential = true,
    };
}
