using Locations;
using Locations.Apis;
using Locations.Data;
using Platform.Configuration;
using Platform.Hosting;
using Platform.Postgres;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatformDefaults("locations");
builder.AddEnvironmentOptions<LocationsOptions>();
builder.AddPostgres<LocationsDb>();
builder.AddNearbySearch();
builder.Services.AddSingleton<StoreReads>();
builder.Services.AddScoped<IDemoData, DemoStores>();

var app = builder.Build();
app.UsePlatformDefaults();
app.MapPlatformEndpoints();
app.MapStoresApi();
app.MapNearbyApi();

return await app.RunPlatformAsync(args);
