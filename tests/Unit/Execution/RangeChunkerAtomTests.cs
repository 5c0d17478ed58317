using SnowPgMigration.Engine.Planning;

namespace SnowPgMigration.Tests.Unit.Execution;

public sealed class RangeChunkerAtomTests
{
    [Fact]
    public void A_tail_that_continues_in_the_next_bucket_becomes_its_own_atom_and_no_row_is_counted_twice()
    {
        // Nine rows of keys 1..9 and one of key 10 (the tail), then ten rows of keys 10..15.
        var buckets = new[] { new KeyBucket(null, 1L, 10L, 10, 1), new KeyBucket(null, 10L, 15L, 10, 1) };

        var atoms = RangeChunker.Atoms(buckets);

        atoms.Should().Equal((1L, 9L), (10L, 11L));
        atoms.Sum(a => a.Rows).Should().Be(20);
    }

    [Fact]
    public void Null_keys_and_empty_buckets_are_left_to_their_own_chunk_and_a_single_key_bucket_stays_whole()
    {
        var buckets = new[]
        {
            new KeyBucket(null, 5L, 5L, 7, 7),
            new KeyBucket(null, 5L, 8L, 4, 1),
            new KeyBucket(null, 9L, 9L, 0, 0),
            new KeyBucket(null, null, null, 3, 0),
        };

        RangeChunker.Atoms(buckets).Should().Equal((5L, 11L));
    }

    [Fact]
    public void Ranges_cover_the_whole_key_space_open_at_both_ends_with_exact_rows()
    {
        var buckets = Enumerable.Range(0, 10).Select(i => new KeyBucket(null, (long)(i * 10), (long)(i * 10 + 9), 10, 1)).ToList();

        var ranges = RangeChunker.Chunk(buckets, batchSize: 30);

        ranges.Should().HaveCount(4);
        ranges[0].Lower.Should().BeNull();
        ranges[^1].Upper.Should().BeNull();
        ranges.Zip(ranges.Skip(1)).Should().OnlyContain(p => Equals(p.First.Upper, p.Second.Lower));
        ranges.Sum(r => r.ExpectedRows).Should().Be(100);
        ranges.Should().OnlyContain(r => r.ExpectedRows <= 30);
    }

    [Fact]
    public void No_buckets_give_one_open_range()
    {
        RangeChunker.Chunk([], batchSize: 10).Should().Equal(new KeyRange(null, null, 0));
    }
}
