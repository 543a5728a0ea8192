// A local stand-in for the Stripe API (see Api): ./dev up runs it, the tests host it in-process.
var app = StripeEmulator.Api.Build(args);
await app.RunAsync();
