using System.Text.RegularExpressions;

namespace StripeEmulator;

/// <summary>
/// The part of Stripe's search query language the emulator understands: clauses <c>metadata['key']:'value'</c>,
/// <c>status:'value'</c> and <c>currency:'value'</c> (single or double quotes), joined by <c>AND</c>. Anything else is
/// refused, as Stripe refuses a query it cannot parse, rather than matching something it did not ask for. Unlike Stripe,
/// whose search index can lag writes by up to a minute, results are immediate.
/// </summary>
public static partial class PaymentIntentSearch
{
    public static bool TryParse(string? query, out Func<PaymentIntentObject, bool> matches, out string? error)
    {
        matches = _ => false;
        error = null;
        if (string.IsNullOrWhiteSpace(query))
        {
            error = "Missing required param: query.";
            return false;
        }

        var clauses = new List<Func<PaymentIntentObject, bool>>();
        var position = 0;
        while (true)
        {
            var clause = Clause().Match(query, position);
            if (!clause.Success)
            {
                error = $"We were unable to parse your search query at position {position}. "
                    + "The emulator understands metadata['key']:'value', status:'value' and currency:'value' joined by AND.";
                return false;
            }

            var value = clause.Groups["value"].Value;
            if (clause.Groups["key"].Success)
            {
                var key = clause.Groups["key"].Value;
                clauses.Add(intent => intent.Metadata.TryGetValue(key, out var actual) && actual == value);
            }
            else
            {
                switch (clause.Groups["field"].Value)
                {
                    case "status":
                        clauses.Add(intent => intent.Status == value);
                        break;
                    case "currency":
                        clauses.Add(intent => intent.Currency == value);
                        break;
                    default:
                        error = $"Field '{clause.Groups["field"].Value}' is not searchable in the emulator.";
                        return false;
                }
            }

            position = clause.Index + clause.Length;
            if (position == query.Length)
            {
                break;
            }

            var and = And().Match(query, position);
            if (!and.Success)
            {
                error = $"We were unable to parse your search query at position {position}. The emulator joins clauses with AND only.";
                return false;
            }

            position = and.Index + and.Length;
        }

        matches = intent => clauses.TrueForAll(clause => clause(intent));
        return true;
    }

    [GeneratedRegex("""\G\s*(?:metadata\[(?<q1>['"])(?<key>.*?)\k<q1>\]|(?<field>[a-z_]+)):(?<q2>['"])(?<value>.*?)\k<q2>\s*""")]
    private static partial Regex Clause();

    [GeneratedRegex(@"\GAND\s+")]
    private static partial Regex And();
}
