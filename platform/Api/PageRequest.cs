using Microsoft.AspNetCore.Mvc;

namespace Platform.Api;

/// <summary><c>?page=1&amp;pageSize=20</c> as every list in the API takes it.</summary>
public sealed record PageRequest(
    [FromQuery(Name = PageRequest.PageName)] int? Page,
    [FromQuery(Name = PageRequest.PageSizeName)] int? PageSize)
{
    public const string PageName = "page";
    public const string PageSizeName = "pageSize";
    public const int MinPage = 1;
    public const int MaxPageSize = 100;
    private const int DefaultPageSize = 20;

    public int Number => Page ?? 1;

    public int Size => PageSize ?? DefaultPageSize;

    /// <summary>How many items come before this page; valid requests keep it within an <see cref="int"/>.</summary>
    public int Offset => (Number - 1) * Size;

    /// <summary>The validation errors keyed by field, or null when the request is valid.</summary>
    public ValidationErrors? Errors()
    {
        var errors = new ValidationErrors();
        if (Number < MinPage)
        {
            errors.Add("page", "page must be 1 or more.");
        }

        if (Size is < 1 or > MaxPageSize)
        {
            errors.Add("pageSize", $"pageSize must be between 1 and {MaxPageSize}.");
        }
        else if (Number > 1 && (long)(Number - 1) * Size > int.MaxValue)
        {
            // The offset of such a page overflows; no list is that long.
            errors.Add("page", $"page must be at most {int.MaxValue / Size + 1} with pageSize {Size}.");
        }

        return errors.NullIfEmpty();
    }
}
