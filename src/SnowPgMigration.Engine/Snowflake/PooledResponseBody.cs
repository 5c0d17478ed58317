namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// An answer body read into an array from <see cref="ResponseBufferPool"/>. Result partitions are megabytes
/// each and a load reads thousands of them: reusing their arrays spares the large-object heap, where each
/// new array (and each larger copy made while a body of unknown length grows) would be garbage held until
/// a full collection. <see cref="Dispose"/> gives the array back; a body never disposed is simply
/// collected.
/// </summary>
internal sealed class PooledResponseBody : IDisposable
{
    // A gzip answer decompressed on the way has no known length: reading starts here and doubles.
    private const int InitialCapacity = 64 * 1024;

    private byte[]? _buffer;

    private PooledResponseBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    /// <summary>The body's bytes; only valid until <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> Memory =>
        _buffer is { } buffer ? buffer.AsMemory(0, Length) : throw new ObjectDisposedException(nameof(PooledResponseBody));

    public static async Task<PooledResponseBody> ReadAsync(Stream content, long? contentLength, CancellationToken cancellationToken)
    {
        var buffer = contentLength is > 0 and < int.MaxValue
            ? ResponseBufferPool.Rent((int)contentLength.Value)
            : ResponseBufferPool.RentForUnknownLength(InitialCapacity);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    // Small bodies double; large ones grow by half, so the last growth wastes less.
                    var larger = ResponseBufferPool.Rent(checked(length < ResponseBufferPool.LargeFrom ? length * 2 : length + (length / 2)));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ResponseBufferPool.Return(buffer);
                    buffer = larger;
                }

                var read = await content.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return new PooledResponseBody(buffer, length);
                }

                length += read;
            }
        }
        catch
        {
            ResponseBufferPool.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ResponseBufferPool.Return(buffer);
        }
    }
}
