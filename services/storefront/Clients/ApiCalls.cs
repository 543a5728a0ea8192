using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Api;
using Platform.Errors;

namespace Storefront.Clients;

/// <summary>
/// How every call to an API ends: its body on success; a 401 ends the shopper's sign-in, a 404 is "not found", a
/// refusal the shopper can act on is an <see cref="ApiProblemException"/>, and an API that is unavailable (5xx, 408, or a
/// connection failure) is the platform's <see cref="DependencyUnavailableException"/>, so the page says "try again shortly".
/// </summary>
internal static class ApiCalls
{
    public static HttpRequestMessage Request(HttpMethod method, string path, string? accessToken = null, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: ApiJson.Options);
        }

        return request;
    }

    /// <summary>A create (POST to the collection) or, for an existing id, a replace (PUT to the item).</summary>
    public static HttpRequestMessage CreateOrReplace(string collection, Guid? id, string accessToken, object body) =>
        id is { } existing
            ? Request(HttpMethod.Put, $"{collection.TrimEnd('/')}/{existing}", accessToken, body)
            : Request(HttpMethod.Post, collection, accessToken, body);

    public static async Task<T> SendAsync<T>(HttpClient http, string api, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendCheckedAsync(http, api, request, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, cancellationToken)
            ?? throw new DependencyUnavailableException(api, $"{api} answered an empty body.");
    }

    public static async Task SendAsync(HttpClient http, string api, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendCheckedAsync(http, api, request, cancellationToken);
    }

    private static async Task<HttpResponseMessage> SendCheckedAsync(
        HttpClient http, string api, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException exception)
            {
                throw new DependencyUnavailableException(api, $"{api} could not be reached.", exception);
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                throw await FailureAsync(api, request, response, cancellationToken);
            }
        }
    }

    private static async Task<Exception> FailureAsync(string api, HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        if (status == HttpStatusCode.Unauthorized && request.Headers.Authorization is not null)
        {
            return new ShopperUnauthorizedException($"{api} refused the shopper's access token.");
        }

        if (status == HttpStatusCode.NotFound)
        {
            return new ApiNotFoundException($"{api} has no {request.RequestUri}.");
        }

        if ((int)status >= 500 || status == HttpStatusCode.RequestTimeout)
        {
            return new DependencyUnavailableException(api, $"{api} answered {(int)status}.");
        }

        var (title, detail) = await ProblemAsync(response, cancellationToken);
        return new ApiProblemException(status, title ?? response.ReasonPhrase ?? "The request was refused.", detail);
    }

    // A problem's title, and its detail or else the messages of its errors (docs/api.md: a 400 names each field).
    private static async Task<(string? Title, string? Detail)> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(cancellationToken);
            return problem is null
                ? (null, null)
                : (problem.Title, problem.Errors.Count > 0 ? string.Join(" ", problem.Errors.SelectMany(field => field.Value)) : problem.Detail);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
