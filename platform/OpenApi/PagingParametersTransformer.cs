using System.Globalization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Platform.Api;

namespace Platform.OpenApi;

/// <summary>
/// The bounds <see cref="PageRequest.Errors"/> enforces, on the page and pageSize of every list. (Validation attributes
/// on an <c>[AsParameters]</c> record cannot carry them: the OpenAPI generator fails to read them there.)
/// </summary>
internal sealed class PagingParametersTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var paged = context.Description.ParameterDescriptions.Any(p => p.ModelMetadata?.ContainerType == typeof(PageRequest));
        foreach (var parameter in paged ? operation.Parameters ?? [] : [])
        {
            if (parameter is not OpenApiParameter { In: ParameterLocation.Query, Schema: OpenApiSchema schema } query)
            {
                continue;
            }

            (schema.Minimum, schema.Maximum) = query.Name switch
            {
                PageRequest.PageName => (Text(PageRequest.MinPage), Text(int.MaxValue)),
                PageRequest.PageSizeName => (Text(1), Text(PageRequest.MaxPageSize)),
                _ => (schema.Minimum, schema.Maximum),
            };
        }

        return Task.CompletedTask;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
