namespace SnowPgMigration.Sandbox;

/// <summary>What <c>sfpg-sandbox sandbox</c> was asked for.</summary>
internal sealed record SandboxOptions(double Scale, bool Keep, string Directory, int Threads);
