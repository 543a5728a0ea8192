using Customers.Apis;
using Customers.Auth;
using Customers.Data;
using Customers.Privacy;
using Platform.Aws;
using Platform.Hosting;
using Platform.Postgres;
using Platform.Redis;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatformDefaults("customers");
builder.AddPostgres<CustomersDb>();
builder.AddRedis(required: true); // sessions and login counters live in Redis
builder.AddS3Bucket("DOCUMENTS_BUCKET");
builder.AddTokenIssuing();
builder.AddPersonalDataRights();

var app = builder.Build();
app.UsePlatformDefaults();
app.MapPlatformEndpoints();
app.MapAccountApi();
app.MapProfileApi();
app.MapDataExportsApi();
app.MapCustomersApi();
app.MapKeysApi();

return await app.RunPlatformAsync(args);
