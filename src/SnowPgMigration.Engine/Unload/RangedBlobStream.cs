using System.Net.Http;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Unload;

/// <summary>
/// A read-only stream over one blob, fetched as consecutive ranged GETs whose bodies are read as they
/// arrive: memory is bounded by the HTTP buffers, not the blob. A transient failure (storage restarted,
/// connection cut) reopens the range at the byte already reached, up to a number of attempts per range.
/// </summary>
internal sealed class RangedBlobStream(AzureBlobClient client, BlobItem blob, int rangeBytes, int attemptsPerRange, TimeProvider clock) : Stream
{
    private HttpResponseMessage? _response;
    private Stream? _body;
    private long _position;
    private long _rangeEnd;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => blob.Size;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= blob.Size || buffer.Length == 0)
        {
            return 0;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (_body is null || _position >= _rangeEnd)
                {
                    await OpenRangeAsync(cancellationToken).ConfigureAwait(false);
                }

                var wanted = (int)Math.Min(buffer.Length, _rangeEnd - _position);
                var read = await _body!.ReadAsync(buffer[..wanted], cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException($"The range of blob '{blob.Name}' ended at byte {_position} before {_rangeEnd}.");
                }

                _position += read;
                return read;
            }
            catch (Exception ex) when (attempt < attemptsPerRange && !cancellationToken.IsCancellationRequested && IsTransient(ex))
            {
                CloseRange();
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task OpenRangeAsync(CancellationToken cancellationToken)
    {
        CloseRange();
        var length = Math.Min(rangeBytes, blob.Size - _position);
        _response = await client.GetRangeAsync(blob.Name, _position, length, cancellationToken).ConfigureAwait(false);
        _body = await _response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        _rangeEnd = _position + length;
    }

    private static bool IsTransient(Exception ex) =>
        ex is IOException or HttpRequestException || ex is SfPgException { Error.Transient: true };

    private void CloseRange()
    {
        _body?.Dispose();
        _response?.Dispose();
        _body = null;
        _response = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseRange();
        }

        base.Dispose(disposing);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
