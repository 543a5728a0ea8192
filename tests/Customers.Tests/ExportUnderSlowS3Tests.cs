using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;

namespace Customers.Tests;

/// <summary>
/// The AWS SDK's HTTP client with a gate on uploads: while it is held, every <c>PUT</c> waits (S3 slow to take a
/// document) and the other calls pass.
/// </summary>
public sealed class HeldUploads : HttpClientFactory
{
    private TaskCompletionSource _open = Open();
    private int _waiting;

    public int Waiting => Volatile.Read(ref _waiting);

    public void Hold() => _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _open.TrySetResult();

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Gate(this) { InnerHandler = new SocketsHttpHandler() });

    private static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private sealed class Gate(HeldUploads uploads) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Put)
            {
                Interlocked.Increment(ref uploads._waiting);
                try
                {
                    await uploads._open.Task.WaitAsync(cancellationToken);
                }
                finally
                {
                    Interlocked.Decrement(ref uploads._waiting);
                }
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>Customers whose S3 client's uploads can be held.</summary>
public sealed class HeldUploadsFixture : CustomersFixture
{
    public HeldUploads Uploads { get; } = new();

    public IAmazonS3 S3 { get; private set; } = null!;

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        S3 = new AmazonS3Client(new AmazonS3Config
        {
            ServiceURL = TestEnvironment.AwsEndpoint,
            ForcePathStyle = true,
            AuthenticationRegion = TestEnvironment.Require("AWS_REGION"),
            HttpClientFactory = Uploads,
        });
        services.AddSingleton(S3);
    }
}

public sealed class ExportUnderSlowS3Tests(HeldUploadsFixture customers) : IClassFixture<HeldUploadsFixture>
{
    [Fact]
    public async Task While_an_export_is_written_the_profile_can_change_and_erasure_waits_for_it_then_deletes_its_document()
    {
        var customer = await customers.NewCustomerAsync();
        customers.Uploads.Hold();
        try
        {
            var export = await customer.Client.PostAsync(new Uri("/api/customers/me/export", UriKind.Relative), null);
            Assert.Equal(HttpStatusCode.Accepted, export.StatusCode);
            await Eventually.HoldsAsync(() => Task.FromResult(customers.Uploads.Waiting == 1), "the worker writing the export's document");

            // Claim, call, record: nothing of the customer's is locked while S3 takes the document.
            var renamed = await customer.Client.PatchAsJsonAsync("/api/customers/me", new { name = "Katherine Johnson" });
            Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
            var erasing = customer.Client.DeleteAsync(new Uri("/api/customers/me", UriKind.Relative));
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.False(erasing.IsCompleted, "the erasure should wait for the export being written, or its document could outlive the account");

            customers.Uploads.Release();
            Assert.Equal(HttpStatusCode.NoContent, (await erasing).StatusCode);
        }
        finally
        {
            customers.Uploads.Release();
        }

        var documents = await customers.S3.ListVersionsAsync(
            new ListVersionsRequest { BucketName = "mycomputer-documents", Prefix = $"exports/{customer.Id}/" });
        Assert.Empty(documents.Versions ?? []);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Accounts.LoginAsync(customers.CreateClient(), customer.Email, Accounts.Password)).StatusCode);
    }

    [Fact]
    public async Task An_erasure_that_waited_5_s_for_an_export_being_written_is_503_with_retry_after_and_erases_nothing()
    {
        var customer = await customers.NewCustomerAsync();
        customers.Uploads.Hold();
        try
        {
            await customer.Client.PostAsync(new Uri("/api/customers/me/export", UriKind.Relative), null);
            await Eventually.HoldsAsync(() => Task.FromResult(customers.Uploads.Waiting == 1), "the worker writing the export's document");

            var erased = await customer.Client.DeleteAsync(new Uri("/api/customers/me", UriKind.Relative));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, erased.StatusCode);
            Assert.NotNull(erased.Headers.RetryAfter);
        }
        finally
        {
            customers.Uploads.Release();
        }

        var me = await customer.Client.GetFromJsonAsync<JsonElement>("/api/customers/me");
        Assert.Equal(customer.Email, me.GetProperty("email").GetString());
    }
}
