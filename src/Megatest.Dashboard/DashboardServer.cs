using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Megatest.Dashboard;

/// <summary>
/// The web dashboard of one area: a small browser app served from this assembly, JSON queries over the area's
/// database (read-only, paged and aggregated in SQL), one subscription to the db writer's change stream fanned out
/// to browsers as server-sent events, and controls that drop packets to the coordinator and the db writer.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable, IDisposable
{
    /// <summary>Name of the cookie that carries the access token after a first visit with <c>?token=</c>.</summary>
    public const string TokenCookie = "mt_token";

    private readonly DashboardOptions _options;
    private readonly ChangeHub _hub;
    private WebApplication? _app;

    /// <summary>Creates the server; nothing listens until <see cref="StartAsync"/>.</summary>
    public DashboardServer(DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _hub = new ChangeHub(options.PublishEndpoint, options.DbWriterEndpoint, options.Security);
        Packets = new PacketClient(options.Security);
        Token = string.IsNullOrEmpty(options.Token) && !IsLoopback(options.Urls)
            ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))
            : options.Token ?? "";
    }

    /// <summary>The address the server listens on (after start), e.g. http://127.0.0.1:43121.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The access token clients must present; empty when access is open (loopback without a token).</summary>
    public string Token { get; }

    /// <summary>The options the server was created with.</summary>
    public DashboardOptions Options => _options;

    /// <summary>Changes received from the db writer's stream so far.</summary>
    public long ChangesReceived => _hub.Received;

    /// <summary>Browsers following the event stream now.</summary>
    public int LiveClients => _hub.ClientCount;

    internal ChangeHub Hub => _hub;

    internal PacketClient Packets { get; }

    /// <summary>Binds and starts serving; returns once the port is open.</summary>
    public async Task StartAsync(CancellationToken cancel = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(_options.Urls);
        _app = builder.Build();
        _app.Use(AccessGuard);
        DashboardEndpoints.Map(_app, this);
        _hub.Start();
        await _app.StartAsync(cancel).ConfigureAwait(false);
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        Url = addresses?.FirstOrDefault() ?? _options.Urls;
    }

    /// <summary>Completes when the change stream is known to be connected (a probe answered by the db writer came back).</summary>
    public Task WaitForLiveAsync(TimeSpan timeout) => _hub.Connected.WaitAsync(timeout);

    /// <summary>Stops serving.</summary>
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }

        _hub.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public void Dispose() => StopAsync().GetAwaiter().GetResult();

    private async Task AccessGuard(HttpContext context, RequestDelegate next)
    {
        if (Token.Length > 0)
        {
            var given = context.Request.Query["token"].FirstOrDefault()
                ?? context.Request.Cookies[TokenCookie]
                ?? (context.Request.Headers.Authorization.FirstOrDefault() is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth[7..] : null);
            if (given is null || !CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(given), System.Text.Encoding.UTF8.GetBytes(Token)))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsync("This dashboard needs its access token: open it with ?token=TOKEN (printed by megatest dashboard).").ConfigureAwait(false);
                return;
            }

            if (context.Request.Query.ContainsKey("token"))
            {
                context.Response.Cookies.Append(TokenCookie, Token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict });
            }
        }

        // Controls change things: refuse cross-site form posts (a browser cannot send this header cross-origin without CORS).
        if (HttpMethods.IsPost(context.Request.Method) && context.Request.Headers["X-Megatest"].Count == 0)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync("POST needs the X-Megatest header.").ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    private static bool IsLoopback(string urls)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url.Replace("*", "0.0.0.0", StringComparison.Ordinal).Replace("+", "0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            {
                return false;
            }

            var host = uri.Host.Trim('[', ']');
            if (host != "localhost" && !(IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip)))
            {
                return false;
            }
        }

        return true;
    }
}
