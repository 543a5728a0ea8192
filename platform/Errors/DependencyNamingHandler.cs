namespace Platform.Errors;

/// <summary>
/// The outermost handler of every <see cref="HttpClient"/> from the factory: a failure that comes out of it (a
/// connection refused, a timeout, an open circuit) carries the client's name, so the 503 it becomes is logged naming it.
/// </summary>
internal sealed class DependencyNamingHandler(string clientName) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (Exception exception) when (DependencyFailures.Tag(exception, clientName))
        {
            throw; // never reached: the filter only names the failure and lets it go on
        }
    }
}
