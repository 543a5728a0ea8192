using Inventory.Apis;
using Inventory.Data;
using Platform.Aws;
using Platform.Hosting;
using Platform.Postgres;
using Platform.Redis;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatformDefaults("inventory", defaultPort: 3001);
builder.AddPostgres<InventoryDb>();
builder.AddRedis();
builder.AddS3Bucket("ASSETS_BUCKET");
builder.AddSqsQueue("INVENTORY_QUEUE");

var app = builder.Build();
app.UsePlatformDefaults();
app.MapPlatformEndpoints();
app.MapProductsApi();

return await app.RunPlatformAsync(args);
