using Platform.Configuration;
using Platform.Health;
using Platform.Hosting;
using Platform.Redis;
using Storefront;
using Storefront.Apis;
using Storefront.Clients;
using Storefront.Components;
using Storefront.Pages;
using Storefront.Sessions;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatformDefaults("storefront");
builder.WebHost.UseStaticWebAssets(); // a build run in place serves wwwroot as a published one does
builder.AddEnvironmentOptions<StorefrontOptions>();
builder.AddRedis(required: true); // the shoppers' sessions live there
builder.AddStorefrontApis();
builder.AddShopperSessions();
builder.AddStorefrontPages();

var app = builder.Build();
app.UsePlatformDefaults();
app.UseStorefrontPages();
app.MapHealthEndpoints();
app.MapShopperEndpoints();
app.MapAdminEndpoints();
app.MapStaticAssets();
app.MapRazorComponents<App>();

return await app.RunPlatformAsync(args);

/// <summary>The entry point, for WebApplicationFactory.</summary>
public partial class Program;
