using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Platform.Api;

/// <summary>
/// A request's validation errors, one message per field, in the order they were found: the one way a rule or a handler
/// builds the <c>errors</c> of a 400 validation problem. A rule returns <see cref="NullIfEmpty"/> (null when the
/// request is valid); a handler answers with <see cref="ToProblem"/>, or <see cref="Problem"/> for a single field.
/// </summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    /// <summary>The messages keyed by field, as the problem's <c>errors</c> carries them.</summary>
    public IReadOnlyDictionary<string, string[]> ByField => _errors;

    public bool IsEmpty => _errors.Count == 0;

    /// <summary>Sets the field's message; a later one for the same field replaces it, where the field stands.</summary>
    public ValidationErrors Add(string field, string message)
    {
        _errors[field] = [message];
        return this;
    }

    /// <summary>Adds the message a check returned for the field; a null message (the check passed) adds nothing.</summary>
    public ValidationErrors Check(string field, string? message) => message is null ? this : Add(field, message);

    public ValidationErrors? NullIfEmpty() => IsEmpty ? null : this;

    /// <summary>The 400 validation problem holding these errors.</summary>
    public ValidationProblem ToProblem() => TypedResults.ValidationProblem(_errors);

    /// <summary>The 400 validation problem for one field's message.</summary>
    public static ValidationProblem Problem(string field, string message) => new ValidationErrors().Add(field, message).ToProblem();

    /// <summary>The errors as one line: <c>field: message; field: message</c>.</summary>
    public override string ToString() => string.Join("; ", _errors.Select(e => $"{e.Key}: {string.Join(' ', e.Value)}"));
}
