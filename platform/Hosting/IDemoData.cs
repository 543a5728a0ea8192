namespace Platform.Hosting;

/// <summary>
/// Demo data for the local stack, loaded only by the one-off <c>demo-data</c> run (<c>./dev up</c> does it after
/// migrating), never by a serving task. Loading it again adds what is missing and leaves everything else alone.
/// </summary>
public interface IDemoData
{
    Task LoadAsync(CancellationToken cancellationToken);
}
