using System.Text.Json;
using System.Text.RegularExpressions;

namespace Deploy.Tests;

/// <summary>
/// The template's values for one set of parameters, as CloudFormation resolves them: conditions, and the intrinsic
/// functions the template uses to build names, ARNs and choices. A reference to a resource resolves to a stand-in
/// (<c>&lt;Cluster&gt;</c>, <c>&lt;WebAcl.Arn&gt;</c>): its value exists only once the stack does.
/// </summary>
public sealed partial class TemplateValues
{
    /// <summary>The account and region every evaluation assumes (the seeds' region).</summary>
    public const string AccountId = "123456789012";

    public const string Region = "eu-west-1";

    private readonly JsonElement _template;
    private readonly Dictionary<string, string> _parameters;

    /// <param name="parameters">What the stack is given; a parameter not given takes its default.</param>
    /// <param name="region">The region the stack is created in.</param>
    public TemplateValues(JsonElement template, IReadOnlyDictionary<string, string> parameters, string region = Region)
    {
        _template = template;
        _parameters = template.GetProperty("Parameters").EnumerateObject()
            .Where(p => parameters.ContainsKey(p.Name) || p.Value.TryGetProperty("Default", out _))
            .ToDictionary(p => p.Name, p => parameters.TryGetValue(p.Name, out var given) ? given : p.Value.GetProperty("Default").GetString()!);
        _parameters["AWS::AccountId"] = AccountId;
        _parameters["AWS::Region"] = region;
        _parameters["AWS::Partition"] = "aws";
        _parameters["AWS::StackName"] = $"mycomputer-{_parameters["EnvironmentName"]}";
        _parameters["AWS::StackId"] = $"arn:aws:cloudformation:{region}:{AccountId}:stack/{_parameters["AWS::StackName"]}/00000000-0000-0000-0000-000000000000";
    }

    public JsonElement Resources => _template.GetProperty(nameof(Resources));

    public string Parameter(string name) => _parameters[name];

    /// <summary>The template's mapping of that name, by its first-level keys.</summary>
    public JsonElement Mapping(string name) => _template.GetProperty("Mappings").GetProperty(name);

    /// <summary>The value of one of the stack's outputs, as written (deploy.sh reads it after the stack is built).</summary>
    public JsonElement Output(string name) => _template.GetProperty("Outputs").GetProperty(name).GetProperty("Value");

    /// <summary>The resources the stack creates with these parameters (those whose condition holds), by logical id.</summary>
    public IEnumerable<(string Id, JsonElement Resource)> Created(string? type = null) =>
        Resources.EnumerateObject()
            .Where(r => type is null || r.Value.GetProperty("Type").GetString() == type)
            .Where(r => !r.Value.TryGetProperty("Condition", out var condition) || Holds(condition.GetString()!))
            .Select(r => (r.Name, r.Value));

    public bool Holds(string condition) => Evaluate(_template.GetProperty("Conditions").GetProperty(condition));

    /// <summary>A value that must come out as text: a name, an ARN, a string property.</summary>
    public string Text(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString()!;
            case JsonValueKind.Number:
            case JsonValueKind.True:
            case JsonValueKind.False:
                return value.GetRawText();
        }

        var (function, argument) = Function(value);
        return function switch
        {
            "Ref" => Reference(argument.GetString()!),
            "Fn::GetAtt" => $"<{string.Join('.', argument.EnumerateArray().Select(a => a.GetString()))}>",
            "Fn::Sub" => Substitute(argument),
            "Fn::Join" => string.Join(argument[0].GetString(), argument[1].EnumerateArray().Select(Text)),
            "Fn::If" => Text(Chosen(value)),
            "Fn::FindInMap" => Text(Mapping(Text(argument[0])).GetProperty(Text(argument[1])).GetProperty(Text(argument[2]))),
            _ => throw new NotSupportedException($"{function} is not evaluated here; teach {nameof(TemplateValues)} if the template needs it"),
        };
    }

    /// <summary>The branch an <c>Fn::If</c> takes (anything else is itself).</summary>
    public JsonElement Chosen(JsonElement value)
    {
        while (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("Fn::If", out var choice))
        {
            value = Holds(choice[0].GetString()!) ? choice[1] : choice[2];
        }

        return value;
    }

    /// <summary>A resource's property, after any <c>Fn::If</c>; absent when the property is absent or is <c>AWS::NoValue</c>.</summary>
    public JsonElement? Property(JsonElement resource, string name)
    {
        if (!resource.TryGetProperty("Properties", out var properties) || !properties.TryGetProperty(name, out var value))
        {
            return null;
        }

        var chosen = Chosen(value);
        return IsNoValue(chosen) ? null : chosen;
    }

    /// <summary>The elements of a list, each after any <c>Fn::If</c>, without those that are <c>AWS::NoValue</c>.</summary>
    public IEnumerable<JsonElement> Items(JsonElement list) =>
        Chosen(list).EnumerateArray().Select(Chosen).Where(item => !IsNoValue(item));

    private static bool IsNoValue(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty("Ref", out var name) && name.GetString() == "AWS::NoValue";

    private static (string Name, JsonElement Argument) Function(JsonElement value)
    {
        var properties = value.ValueKind == JsonValueKind.Object ? value.EnumerateObject().ToList() : [];
        if (properties.Count != 1)
        {
            throw new InvalidOperationException($"not a value or an intrinsic function: {value.GetRawText()}");
        }

        return (properties[0].Name, properties[0].Value);
    }

    private bool Evaluate(JsonElement condition)
    {
        var (function, argument) = Function(condition);
        return function switch
        {
            "Fn::Equals" => Text(argument[0]) == Text(argument[1]),
            "Fn::Not" => !Evaluate(argument[0]),
            "Fn::And" => argument.EnumerateArray().All(Evaluate),
            "Fn::Or" => argument.EnumerateArray().Any(Evaluate),
            "Condition" => Holds(argument.GetString()!),
            _ => throw new NotSupportedException($"{function} in a condition is not evaluated here"),
        };
    }

    private string Reference(string name) =>
        _parameters.TryGetValue(name, out var value) ? value
        : Resources.TryGetProperty(name, out _) ? $"<{name}>"
        : throw new InvalidOperationException($"{name} is neither a parameter nor a resource");

    private string Substitute(JsonElement argument)
    {
        var (text, variables) = argument.ValueKind == JsonValueKind.Array
            ? (argument[0].GetString()!, argument[1].EnumerateObject().ToDictionary(v => v.Name, v => Text(v.Value)))
            : (argument.GetString()!, new Dictionary<string, string>());
        return SubVariable().Replace(text, match =>
        {
            if (match.Groups["literal"].Success)
            {
                return $"${{{match.Groups["literal"].Value}}}";
            }

            var name = match.Groups["name"].Value;
            return variables.TryGetValue(name, out var value) ? value
                : name.Contains('.', StringComparison.Ordinal) && !name.StartsWith("AWS::", StringComparison.Ordinal) ? $"<{name}>"
                : Reference(name);
        });
    }

    /// <summary>A variable, or <c>${!text}</c>, which CloudFormation writes as the literal <c>${text}</c>.</summary>
    [GeneratedRegex(@"\$\{(?:!(?<literal>[^}]*)|(?<name>[A-Za-z0-9:.]+))\}")]
    private static partial Regex SubVariable();

    public override string ToString() =>
        string.Join(", ", _parameters.Where(p => !p.Key.StartsWith("AWS::", StringComparison.Ordinal)).Select(p => $"{p.Key}={p.Value}"));
}
