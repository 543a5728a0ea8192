
namespace Platform.Api;

/// <summary><c>?page=1&amp;pageSize=20</c> as every list in the API takes it.</summary>
public sealed record PageRequest(int? Page, int? PageSize)
{
    public const int MaxPageSize = 100;
    private const int DefaultPageSize = 20;

    public int Number => Page ?? 1;

    public int Size => PageSize ?? DefaultPageSize;

    /// <summary>The validation errors keyed by field, or null when the request is valid.</summary>
    public Dictionary<string, string[]>? Errors()
    {
        var errors = new Dictionary<string, string[]>();
        if (Number < 1)
        {
            errors["page"] = ["page must be 1 or more."];
        }

        if (Size is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}."];
        }

        return errors.Count == 0 ? null : errors;
    }

}
