namespace SnowPgMigration.Sandbox;

/// <summary>What <c>sfpg-sandbox sandbox</c> was asked for; <paramref name="Unload"/> sends the full loads through an Azurite stage.</summary>
internal sealed record SandboxOptions(double Scale, bool Keep, string Directory, int Threads, bool Unload);
