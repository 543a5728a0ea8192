using System.Net;
using Platform.Redis;

namespace Platform.Tests;

public sealed class RedisUrlTests
{
    [Fact]
    public void A_plain_url_gives_host_port_and_database_without_tls()
    {
        var options = RedisUrl.Parse("redis://cache.internal:6380/2");

        Assert.False(options.Ssl);
        Assert.Equal(new DnsEndPoint("cache.internal", 6380), Assert.Single(options.EndPoints));
        Assert.Equal(2, options.DefaultDatabase);
        Assert.Null(options.Password);
    }

    [Fact]
    public void A_rediss_url_turns_on_tls_and_carries_the_auth_token()
    {
        var options = RedisUrl.Parse("rediss://:s3cr%2Ft@master.cache.amazonaws.com");

        Assert.True(options.Ssl);
        Assert.Equal("master.cache.amazonaws.com", options.SslHost);
        Assert.Equal(new DnsEndPoint("master.cache.amazonaws.com", 6379), Assert.Single(options.EndPoints));
        Assert.Equal("s3cr/t", options.Password);
        Assert.Null(options.User);
    }

    [Fact]
    public void A_user_and_password_are_both_read()
    {
        var options = RedisUrl.Parse("rediss://app:token@cache:6379");

        Assert.Equal("app", options.User);
        Assert.Equal("token", options.Password);
    }
}
