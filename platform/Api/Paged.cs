using Microsoft.EntityFrameworkCore;

namespace Platform.Api;

/// <summary>One page of a list: <c>{ items, page, pageSize, totalCount }</c>.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount)
{
    /// <summary>The same page with each item mapped, for items that are shaped after they are read.</summary>
    public Paged<TResult> Select<TResult>(Func<T, TResult> map) => new([.. Items.Select(map)], Page, PageSize, TotalCount);
}

public static class PageQueries
{
    /// <summary>Counts and reads one page of an ordered query.</summary>
    public static async Task<Paged<T>> ToPageAsync<T>(this IQueryable<T> ordered, PageRequest request, CancellationToken cancellationToken)
    {
        var total = await ordered.CountAsync(cancellationToken);
        var items = await ordered.Skip(request.Offset).Take(request.Size).ToListAsync(cancellationToken);
        return new Paged<T>(items, request.Number, request.Size, total);
    }
}
