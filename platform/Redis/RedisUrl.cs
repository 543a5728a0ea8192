using StackExchange.Redis;

namespace Platform.Redis;

/// <summary>Turns a <c>REDIS_URL</c> into StackExchange.Redis options.</summary>
public static class RedisUrl
{
    public static ConfigurationOptions Parse(string url)
    {
        var uri = new Uri(url);
        var options = new ConfigurationOptions { Ssl = uri.Scheme == "rediss" };
        options.EndPoints.Add(uri.Host, uri.IsDefaultPort ? 6379 : uri.Port);
        if (options.Ssl)
        {
            options.SslHost = uri.Host;
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var separator = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var user = separator < 0 ? "" : Uri.UnescapeDataString(uri.UserInfo[..separator]);
            options.User = user.Length == 0 ? null : user;
            options.Password = Uri.UnescapeDataString(separator < 0 ? uri.UserInfo : uri.UserInfo[(separator + 1)..]);
        }

        if (int.TryParse(uri.AbsolutePath.Trim('/'), out var database))
        {
            options.DefaultDatabase = database;
        }

        return options;
    }
}
