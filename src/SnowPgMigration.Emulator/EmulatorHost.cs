using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SnowPgMigration.Emulator.Auth;
using SnowPgMigration.Emulator.Faults;
using SnowPgMigration.Emulator.Http;
using SnowPgMigration.Emulator.Statements;

namespace SnowPgMigration.Emulator;

/// <summary>
/// An emulated Snowflake SQL API v2 server over PostgreSQL, running in-process on Kestrel. Start it
/// with <see cref="StartAsync"/>, point a client at <see cref="BaseUri"/>, dispose it to stop.
/// </summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly StatementRegistry _registry;
    private readonly StatementExecutor _executor;
    private readonly ReaderRole _reader;
    private readonly string? _ownedSpillDirectory;
    private int _disposed;

    private EmulatorHost(WebApplication app, Uri baseUri, StatementRegistry registry, StatementExecutor executor, ReaderRole reader, EmulatorStats stats, FaultInjector faults, bool acceptsAnyToken, IReadOnlyCollection<string> fingerprints, string? ownedSpillDirectory)
    {
        _reader = reader;
        _app = app;
        BaseUri = baseUri;
        _registry = registry;
        _executor = executor;
        Stats = stats;
        Faults = faults;
        AcceptsAnyToken = acceptsAnyToken;
        KeyFingerprints = fingerprints;
        _ownedSpillDirectory = ownedSpillDirectory;
    }

    /// <summary>The bound address, e.g. <c>http://127.0.0.1:41234/</c> (the real port when 0 was asked for).</summary>
    public Uri BaseUri { get; }

    /// <summary>Request and statement counters.</summary>
    public EmulatorStats Stats { get; }

    /// <summary>The fault rules in force; replace them at run time.</summary>
    public FaultInjector Faults { get; }

    /// <summary>True when no key or token was registered, so any bearer token (or none) is accepted.</summary>
    public bool AcceptsAnyToken { get; }

    /// <summary>
    /// The PostgreSQL role statements run as: created at start, without superuser rights, granted only
    /// reads, in read-only transactions; dropped when the emulator stops.
    /// </summary>
    public string PostgresRole => _reader.Name;

    /// <summary>Fingerprints (<c>SHA256:...</c>) of the registered public keys.</summary>
    public IReadOnlyCollection<string> KeyFingerprints { get; }

    /// <summary>Starts the server and returns once it listens.</summary>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public static async Task<EmulatorHost> StartAsync(EmulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.PostgresConnectionString))
        {
            throw new ArgumentException("The PostgreSQL connection string (--pg) is required.", nameof(options));
        }

        if (options.PartitionRows < 1)
        {
            throw new ArgumentException($"Rows per partition (--partition-rows) must be at least 1, not {options.PartitionRows}.", nameof(options));
        }

        IReadOnlyList<FaultRule> rules;
        try
        {
            rules = FaultRule.ParseSpec(options.Faults);
        }
        catch (FormatException error)
        {
            throw new ArgumentException($"--faults: {error.Message}", nameof(options), error);
        }

        var verifier = new TokenVerifier(options);
        var stats = new EmulatorStats();
        var faults = new FaultInjector(rules);
        var ownedSpill = options.SpillDirectory is null ? Path.Combine(Path.GetTempPath(), "sfpg-emulator-" + Guid.NewGuid().ToString("N")[..12]) : null;
        var spillDirectory = options.SpillDirectory ?? ownedSpill!;
        Directory.CreateDirectory(spillDirectory);

        var reader = await ReaderRole.CreateAsync(options.PostgresConnectionString, cancellationToken);
        var registry = new StatementRegistry(options.ResultRetention);
        var storage = new UnloadStorage(options.AzureBlobEndpoint);
        var executor = new StatementExecutor(options, registry, stats, spillDirectory, reader, storage);
        var statements = new StatementEndpoints(options, registry, executor, stats);
        var admin = new AdminEndpoints(faults, stats, registry, storage);
        var faultMiddleware = new FaultMiddleware(faults, stats, options.TimeProvider);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        if (options.LogToConsole)
        {
            builder.Logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        }

        // The embedding process owns Ctrl+C and SIGTERM; the default console lifetime would swallow them.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (options.Host is "localhost")
            {
                kestrel.ListenLocalhost(options.Port);
            }
            else if (options.Host is "*" or "0.0.0.0" or "+")
            {
                kestrel.ListenAnyIP(options.Port);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(options.Host), options.Port);
            }
        });

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            // Admin endpoints change faults and reveal traffic: they need the same credentials as the API.
            if (context.Request.Path.StartsWithSegments(AdminEndpoints.Prefix, StringComparison.Ordinal))
            {
                var refused = verifier.Verify(context.Request.Headers.Authorization.FirstOrDefault(), context.Request.Headers["X-Snowflake-Authorization-Token-Type"].FirstOrDefault(), DateTimeOffset.UtcNow);
                if (refused is not null)
                {
                    Interlocked.Increment(ref stats.AuthenticationFailures);
                    await SnowflakeResponses.SendErrorAsync(context, refused, null);
                    return;
                }

                await next(context);
                return;
            }

            if (!context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
            {
                await next(context);
                return;
            }

            Interlocked.Increment(ref stats.Requests);
            await faultMiddleware.InvokeAsync(context, async ctx =>
            {
                var rejection = verifier.Verify(ctx.Request.Headers.Authorization.FirstOrDefault(), ctx.Request.Headers["X-Snowflake-Authorization-Token-Type"].FirstOrDefault(), DateTimeOffset.UtcNow);
                if (rejection is not null)
                {
                    Interlocked.Increment(ref stats.AuthenticationFailures);
                    await SnowflakeResponses.SendErrorAsync(ctx, rejection, null);
                    return;
                }

                await next(ctx);
            });
        });

        app.MapPost(SnowflakeResponses.StatementsPath, statements.SubmitAsync);
        app.MapGet(SnowflakeResponses.StatementsPath + "/{handle}", (HttpContext context, string handle) => statements.GetAsync(context, handle));
        app.MapPost(SnowflakeResponses.StatementsPath + "/{handle}/cancel", (HttpContext context, string handle) => statements.CancelAsync(context, handle));
        app.MapGet(AdminEndpoints.Prefix + "/stats", admin.StatsAsync);
        app.MapGet(AdminEndpoints.Prefix + "/faults", admin.GetFaultsAsync);
        app.MapPost(AdminEndpoints.Prefix + "/faults", admin.SetFaultsAsync);
        app.MapDelete(AdminEndpoints.Prefix + "/faults", admin.ClearFaultsAsync);
        app.MapGet(AdminEndpoints.Prefix + "/storage", admin.GetStorageAsync);
        app.MapPost(AdminEndpoints.Prefix + "/storage", admin.SetStorageAsync);

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await executor.DisposeAsync();
            await reader.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseUri = new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        return new EmulatorHost(app, baseUri, registry, executor, reader, stats, faults, verifier.AcceptsAnyToken, verifier.Fingerprints, ownedSpill);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _app.StopAsync(CancellationToken.None);
        var running = _registry.Running.ToArray();
        foreach (var statement in running)
        {
            statement.RequestCancel();
        }

        await Task.WhenAny(Task.WhenAll(running.Select(s => s.Finished)), Task.Delay(TimeSpan.FromSeconds(10)));
        _registry.Dispose();
        await _executor.DisposeAsync();
        await _reader.DisposeAsync();
        await _app.DisposeAsync();
        if (_ownedSpillDirectory is not null)
        {
            try
            {
                Directory.Delete(_ownedSpillDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the folder is in the temporary directory.
            }
        }
    }
}
