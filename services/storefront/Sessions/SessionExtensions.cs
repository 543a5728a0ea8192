using Microsoft.AspNetCore.DataProtection;

namespace Storefront.Sessions;

public static class SessionExtensions
{
    /// <summary>
    /// Sessions in Redis, and the keys that protect antiforgery tokens there too: a form rendered by one task is posted
    /// to whichever task the load balancer picks, and a restart must not void the forms open in shoppers' browsers.
    /// </summary>
    public static IHostApplicationBuilder AddShopperSessions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddScoped<ShopperSession>();
        builder.Services.AddDataProtection().SetApplicationName("storefront");
        builder.Services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
            .Configure<IServiceProvider>((keys, services) => keys.XmlRepository = new RedisKeyRing(services));
        return builder;
    }
}
