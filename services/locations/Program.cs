using Locations;
using Locations.Apis;
using Locations.Data;
using Platform.Configuration;
using Platform.Hosting;
using Platform.Postgres;
using Platform.Redis;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatformDefaults("locations", defaultPort: 3004);
builder.AddEnvironmentOptions<LocationsOptions>();
builder.AddPostgres<LocationsDb>();
builder.AddRedis();

var app = builder.Build();
app.UsePlatformDefaults();
app.MapPlatformEndpoints();
app.MapStoresApi();

return await app.RunPlatformAsync(args);
