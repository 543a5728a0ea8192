using Customers.Apis;
using Customers.Data;
using Platform.Aws;
using Platform.Hosting;
using Platform.Postgres;
using Platform.Redis;
using Platform.Secrets;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatformDefaults("customers", defaultPort: 3002);
builder.AddPostgres<CustomersDb>();
builder.AddRedis(required: true); // sessions live in Redis
builder.AddS3Bucket("DOCUMENTS_BUCKET");
builder.AddSecret("JWT_SECRET");

var app = builder.Build();
app.UsePlatformDefaults();
app.MapPlatformEndpoints();
app.MapCustomersApi();

return await app.RunPlatformAsync(args);
