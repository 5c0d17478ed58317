using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Tests.Unit.Snowflake;

public sealed class PooledResponseBodyTests
{
    /// <summary>A stream that hands out at most a few bytes per read, as a network stream may.</summary>
    private sealed class TrickleStream(byte[] content, int perRead) : MemoryStream(content)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, perRead)], cancellationToken);
    }

    private static byte[] Content(int length)
    {
        var content = new byte[length];
        new Random(length).NextBytes(content);
        return content;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64 * 1024)]
    [InlineData((64 * 1024) + 1)]
    [InlineData((3 * 1024 * 1024) + 17)]
    public async Task A_body_of_unknown_length_is_read_whole_across_every_growth(int length)
    {
        var content = Content(length);
        using var stream = new TrickleStream(content, 50_000);

        using var body = await PooledResponseBody.ReadAsync(stream, contentLength: null, CancellationToken.None);

        Assert.Equal(length, body.Length);
        Assert.True(body.Memory.Span.SequenceEqual(content));
    }

    [Fact]
    public async Task A_body_of_announced_length_is_read_whole()
    {
        var content = Content((2 * 1024 * 1024) + 5);
        using var stream = new TrickleStream(content, 70_000);

        using var body = await PooledResponseBody.ReadAsync(stream, content.Length, CancellationToken.None);

        Assert.True(body.Memory.Span.SequenceEqual(content));
    }

    [Fact]
    public async Task A_disposed_body_gives_its_bytes_back_and_cannot_be_read()
    {
        using var stream = new MemoryStream(Content(10));
        var body = await PooledResponseBody.ReadAsync(stream, contentLength: null, CancellationToken.None);

        body.Dispose();
        body.Dispose();

        Assert.Throws<ObjectDisposedException>(() => body.Memory);
    }

    [Fact]
    public void A_large_buffer_is_sized_to_the_megabyte_not_to_the_next_power_of_two()
    {
        var length = (17 * ResponseBufferPool.LargeFrom) + 1;

        var buffer = ResponseBufferPool.Rent(length);

        Assert.InRange(buffer.Length, length, 18 * ResponseBufferPool.LargeFrom);
        ResponseBufferPool.Return(buffer);
    }
}
