using System.CommandLine;
using SnowPgMigration.Emulator;

namespace SnowPgMigration.Sandbox.Commands;

/// <summary><c>sfpg-sandbox emulator serve</c>: an emulated Snowflake SQL API over a PostgreSQL server, in the foreground.</summary>
internal static class EmulatorCommand
{
    public static Command Create()
    {
        var pg = new Option<string>("--pg")
        {
            Description = "PostgreSQL connection string; Snowflake database X is PostgreSQL database X on this server. Its user must be able to create roles: statements run as a read-only role the emulator creates.",
            Required = true,
        };
        var host = new Option<string>("--host") { Description = "Address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port (0 picks a free one).", DefaultValueFactory = _ => 0 };
        var partitionRows = new Option<int>("--partition-rows") { Description = "Rows per result partition.", DefaultValueFactory = _ => 10_000 };
        var growing = new Option<bool>("--growing-partitions")
        {
            Description = "Double the partition size from one partition to the next (up to 8x), as Snowflake's partitions grow.",
        };
        var asyncThreshold = new Option<int>("--async-threshold-ms")
        {
            Description = "Statements still running after this many milliseconds answer 202 and are polled (Snowflake: 45000).",
            DefaultValueFactory = _ => 45_000,
        };
        var publicKeys = new Option<string[]>("--public-key")
        {
            Description = "PEM file of an RSA public key whose key-pair JWTs are accepted (repeatable). Without keys or tokens any bearer token is accepted.",
            AllowMultipleArgumentsPerToken = false,
        };
        var tokens = new Option<string[]>("--token") { Description = "An OAuth or programmatic access token to accept (repeatable)." };
        var retention = new Option<int>("--retention-minutes")
        {
            Description = "How long finished results (and their spilled partitions) stay readable.",
            DefaultValueFactory = _ => 60,
        };
        var timeZone = new Option<string>("--time-zone")
        {
            Description = "The account's TIMEZONE: the session time zone of requests that send none (e.g. America/Los_Angeles, Snowflake's default).",
            DefaultValueFactory = _ => "UTC",
        };
        var faults = new Option<string?>("--faults") { Description = "Fault rules, e.g. 429:every=5:retry-after=1,503:p=0.1,slow:every=7:ms=2000,cut:every=9:on=fetch" };

        var serve = new Command("serve", "Run the emulator in the foreground until Ctrl+C or SIGTERM.")
        {
            pg, host, port, partitionRows, growing, asyncThreshold, publicKeys, tokens, retention, timeZone, faults,
        };
        serve.SetAction(async (parse, cancellationToken) =>
        {
            var listenOn = parse.GetValue(host) ?? "127.0.0.1";
            var credentials = (parse.GetValue(publicKeys)?.Length ?? 0) + (parse.GetValue(tokens)?.Length ?? 0);
            var acceptedTokens = parse.GetValue(tokens) ?? [];

            // Statements run on the backing PostgreSQL: never serve them to whoever asks. Without credentials
            // given, one token is generated for this process and printed below.
            string? generatedToken = null;
            if (credentials == 0 && Engine.Snowflake.LoopbackHost.Is(listenOn))
            {
                generatedToken = "emu-" + System.Security.Cryptography.RandomNumberGenerator.GetHexString(32, lowercase: true);
                acceptedTokens = [generatedToken];
            }

            if (!Engine.Snowflake.LoopbackHost.Is(listenOn))
            {
                // Every statement runs on the backing PostgreSQL: reachable from the network, it must at least ask for credentials.
                if (credentials == 0)
                {
                    await Console.Error.WriteLineAsync(
                        $"sfpg-sandbox emulator: --host {listenOn} is reachable from other machines; give --token or --public-key so only holders of them can send statements.");
                    return 2;
                }

                await Console.Error.WriteLineAsync(
                    $"warning: listening on {listenOn}, reachable from other machines, over clear-text http; use only on a trusted network.");
            }

            var options = new EmulatorOptions
            {
                PostgresConnectionString = parse.GetValue(pg)!,
                Host = parse.GetValue(host) ?? "127.0.0.1",
                Port = parse.GetValue(port),
                PartitionRows = parse.GetValue(partitionRows),
                GrowingPartitions = parse.GetValue(growing),
                AsyncThreshold = TimeSpan.FromMilliseconds(parse.GetValue(asyncThreshold)),
                PublicKeyFiles = parse.GetValue(publicKeys) ?? [],
                AcceptedTokens = acceptedTokens,
                Faults = parse.GetValue(faults),
                TimeZone = parse.GetValue(timeZone) ?? "UTC",
                ResultRetention = TimeSpan.FromMinutes(Math.Max(1, parse.GetValue(retention))),
                LogToConsole = true,
            };

            EmulatorHost emulator;
            try
            {
                emulator = await EmulatorHost.StartAsync(options, cancellationToken);
            }
            catch (ArgumentException error)
            {
                await Console.Error.WriteLineAsync($"sfpg-sandbox emulator: {error.Message}");
                return 2;
            }

            await using (emulator)
            {
                Console.WriteLine($"Snowflake SQL API emulator listening on {emulator.BaseUri}");
                Console.WriteLine(generatedToken is not null
                    ? $"Authentication: generated token {generatedToken} (send it as a programmatic access token; give --token or --public-key to choose your own)."
                    : $"Authentication: key-pair JWTs for {string.Join(", ", emulator.KeyFingerprints)}"
                      + (options.AcceptedTokens.Count > 0 ? $" and {options.AcceptedTokens.Count} accepted token(s)" : ""));
                if (!string.IsNullOrWhiteSpace(options.Faults))
                {
                    Console.WriteLine($"Faults: {options.Faults}");
                }

                Console.WriteLine("Press Ctrl+C to stop.");
                // SIGTERM (docker stop, systemd) stops as cleanly as Ctrl+C: running statements are
                // canceled on PostgreSQL and the spilled partitions removed.
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                using var onSigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
                    System.Runtime.InteropServices.PosixSignal.SIGTERM,
                    context =>
                    {
                        context.Cancel = true;
                        stop.Cancel();
                    });
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    Console.WriteLine("Stopping.");
                }
            }

            return 0;
        });

        return new Command("emulator", "An emulated Snowflake SQL API v2 backed by PostgreSQL, for trying and testing the tool.") { serve };
    }
}
