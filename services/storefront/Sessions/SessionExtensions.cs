namespace Storefront.Sessions;

public static class SessionExtensions
{
    public static IHostApplicationBuilder AddShopperSessions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddScoped<ShopperSession>();
        return builder;
    }
}
