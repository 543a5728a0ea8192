using System.Collections;
using System.Diagnostics;

namespace TestSupport;

/// <summary>
/// Finished spans as in-memory exporters hand them over, safe to read while the hosts go on exporting (an exporter adds
/// to a plain collection from whichever thread ends a span). Hosts in one process share the activity sources, so each
/// host's exporter hands over every span: the reads give each span once.
/// </summary>
public sealed class SpanCollection : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];

    public int Count
    {
        get
        {
            lock (_spans)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    /// <summary>The spans of <paramref name="trace"/> exported so far.</summary>
    public IReadOnlyList<Activity> InTrace(ActivityTraceId trace)
    {
        lock (_spans)
        {
            return _spans.Where(s => s.TraceId == trace).DistinctBy(s => s.SpanId).ToList();
        }
    }

    /// <summary>Every span exported so far.</summary>
    public IReadOnlyList<Activity> All()
    {
        lock (_spans)
        {
            return [.. _spans.DistinctBy(s => s.SpanId)];
        }
    }

    public void Add(Activity item)
    {
        lock (_spans)
        {
            _spans.Add(item);
        }
    }

    public void Clear()
    {
        lock (_spans)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item)
    {
        lock (_spans)
        {
            return _spans.Contains(item);
        }
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_spans)
        {
            _spans.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(Activity item)
    {
        lock (_spans)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator() => All().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
