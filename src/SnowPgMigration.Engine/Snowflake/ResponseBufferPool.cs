using System.Buffers;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// Buffers for answer bodies. Small ones come from the shared array pool. Large ones (result partitions,
/// megabytes each) are sized to the megabyte rather than to the shared pool's next power of two, which
/// would hold a 17 MB partition in a 32 MB array; given back, they are kept only weakly, so a spare
/// is reused by the next partition that fits it and otherwise lives no longer than garbage would.
/// </summary>
internal static class ResponseBufferPool
{
    /// <summary>Arrays from this length on are large; smaller ones belong to <see cref="ArrayPool{T}.Shared"/>.</summary>
    public const int LargeFrom = 1 << 20;

    private const int SpareLimit = 16;

    private static readonly List<WeakReference<byte[]>> Spares = [];

    /// <summary>An array of at least <paramref name="minimumLength"/> bytes, its contents undefined.</summary>
    public static byte[] Rent(int minimumLength)
    {
        if (minimumLength < LargeFrom)
        {
            return ArrayPool<byte>.Shared.Rent(minimumLength);
        }

        return TakeSpare(minimumLength) ?? GC.AllocateUninitializedArray<byte>(RoundedToLarge(minimumLength));
    }

    /// <summary>The largest spare large array, or a small pooled one: where a body of unknown length starts.</summary>
    public static byte[] RentForUnknownLength(int smallLength) => TakeSpare(0) ?? ArrayPool<byte>.Shared.Rent(smallLength);

    public static void Return(byte[] array)
    {
        if (array.Length < LargeFrom)
        {
            ArrayPool<byte>.Shared.Return(array);
            return;
        }

        lock (Spares)
        {
            Spares.RemoveAll(spare => !spare.TryGetTarget(out _));
            if (Spares.Count < SpareLimit)
            {
                Spares.Add(new WeakReference<byte[]>(array));
            }
        }
    }

    /// <summary>The smallest spare of at least <paramref name="minimumLength"/> bytes (the largest when 0), taken out of the spares.</summary>
    private static byte[]? TakeSpare(int minimumLength)
    {
        lock (Spares)
        {
            var best = -1;
            byte[]? chosen = null;
            for (var i = 0; i < Spares.Count; i++)
            {
                if (Spares[i].TryGetTarget(out var spare) && spare.Length >= minimumLength
                    && (chosen is null || (minimumLength == 0 ? spare.Length > chosen.Length : spare.Length < chosen.Length)))
                {
                    (best, chosen) = (i, spare);
                }
            }

            if (best >= 0)
            {
                Spares.RemoveAt(best);
            }

            return chosen;
        }
    }

    private static int RoundedToLarge(int length) =>
        length > int.MaxValue - LargeFrom ? length : (length + LargeFrom - 1) / LargeFrom * LargeFrom;
}
