using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using SocketsNotebooks.AppProtocol;
using SocketsNotebooks.Network;
using Xunit.Abstractions;

namespace SocketsNotebooks.Tests.AppProtocol;

public sealed class MessageDecoderTests(ITestOutputHelper output)
{
    // ---- examples ------------------------------------------------------------------------

    [Fact]
    public void Decode_GoldenPythonResponse_ReadsHeaderAndResult()
    {
        var message = Assert.Single(MessageDecoder.DecodeAll(GoldenBytes.MorpheusResponse));

        Assert.Equal(new MessageHeader("little", "text/json", "utf-8", 43), message.Header);
        Assert.Equal("Follow the white rabbit. 🐰", message.JsonString("result"));
    }

    [Fact]
    public void Decode_GoldenPythonRequest_ReadsActionAndValue()
    {
        var message = Assert.Single(MessageDecoder.DecodeAll(GoldenBytes.MorpheusRequest));

        Assert.Equal(41, message.Header.ContentLength);
        Assert.Equal("search", message.JsonString("action"));
        Assert.Equal("morpheus", message.JsonString("value"));
    }

    [Fact]
    public void Decoder_ByteByByte_WaitsInEachStateThenCompletes()
    {
        var decoder = new MessageDecoder();
        byte[] bytes = GoldenBytes.MorpheusResponse;
        var states = new List<DecoderState>();

        for (int i = 0; i < bytes.Length - 1; i++)
        {
            var parts = decoder.Feed(bytes.AsSpan(i, 1));
            Assert.Equal(0, parts.Messages);
            Assert.False(decoder.TryReadMessage(out _));
            states.Add(decoder.State);
        }
        var last = decoder.Feed(bytes.AsSpan(^1));

        Assert.Equal(1, last.Messages);
        Assert.True(decoder.TryReadMessage(out var message));
        Assert.Equal(43, message.Content.Length);
        Assert.Equal(DecoderState.ProtoHeader, decoder.State);
        Assert.Equal(1, states.Count(s => s == DecoderState.ProtoHeader));
        Assert.Equal(103, states.Count(s => s == DecoderState.JsonHeader));
        Assert.Equal(43, states.Count(s => s == DecoderState.Content));
    }

    [Fact]
    public void Decoder_HeaderSplitAcrossReads_WaitsForRest()
    {
        var decoder = new MessageDecoder();
        byte[] bytes = GoldenBytes.MorpheusResponse;

        var first = decoder.Feed(bytes.AsSpan(0, 50));

        Assert.Equal(new MessageParts(2, 48, 0, 0), first);
        Assert.Equal(DecoderState.JsonHeader, decoder.State);
        Assert.Equal("JsonHeader: 48 of 103 bytes", decoder.ToString());
        var second = decoder.Feed(bytes.AsSpan(50));
        Assert.Equal(new MessageParts(0, 55, 43, 1), second);
    }

    [Fact]
    public void Decoder_OneMessagePlusHalfOfNext_ReturnsOneAndKeepsTheRest()
    {
        byte[] stream = [.. GoldenBytes.MorpheusRequest, .. GoldenBytes.MorpheusResponse[..60]];
        var decoder = new MessageDecoder();
        ReadOnlySpan<byte> input = stream;

        Assert.True(decoder.TryReadMessage(ref input, out var first));
        Assert.Equal("morpheus", first.JsonString("value"));
        Assert.Equal(60, input.Length);
        Assert.False(decoder.TryReadMessage(ref input, out _));
        Assert.True(input.IsEmpty);
        Assert.True(decoder.IsMidMessage);
        Assert.Equal(ProtocolError.Truncated, Assert.Throws<ProtocolException>(decoder.Complete).Error);
    }

    [Fact]
    public void Decoder_EmptyContent_IsAWholeMessage()
    {
        byte[] bytes = Message.Binary([]).ToBytes();
        var decoder = new MessageDecoder();

        var parts = decoder.Feed(bytes);

        Assert.Equal(1, parts.Messages);
        Assert.True(decoder.TryReadMessage(out var message));
        Assert.Equal(0, message.Content.Length);
        Assert.False(decoder.IsMidMessage);
    }

    [Fact]
    public void Decoder_ClaimOf2GiBWith1MiBLimit_FailsFastWithoutAllocating()
    {
        byte[] bytes = GoldenBytes.Frame(
            """{"byteorder": "little", "content-type": "binary/x", "content-encoding": "binary", "content-length": 2147483648}""", "x");
        var decoder = new MessageDecoder(new MessageLimits { MaxContentLength = 1024 * 1024 });

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ProtocolException>(() => decoder.Feed(bytes));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(ProtocolError.ContentTooLong, error.Error);
        Assert.Contains("MaxContentLength", error.Message);
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes");
        output.WriteLine($"2 GiB claim refused after allocating {allocated} bytes: {error.Message}");
    }

    [Fact]
    public void Decoder_ContentExactlyAtTheLimit_DecodesFromRandomPieces()
    {
        var content = new byte[MessageLimits.Default.MaxContentLength];
        new Random(42).NextBytes(content);
        byte[] bytes = Message.Binary(content).ToBytes();
        var decoder = new MessageDecoder();
        var random = new Random(7);

        for (int offset = 0; offset < bytes.Length;)
        {
            int size = Math.Min(random.Next(1, 70_000), bytes.Length - offset);
            decoder.Feed(bytes.AsSpan(offset, size));
            offset += size;
        }

        Assert.True(decoder.TryReadMessage(out var message));
        Assert.True(content.AsSpan().SequenceEqual(message.Content.Span));
        output.WriteLine($"decoded one {bytes.Length}-byte message");
    }

    [Fact]
    public void Decoder_ClaimOf1MiBButTenBytesSent_AllocatesForTheBytesNotTheClaim()
    {
        byte[] bytes = [.. Message.Binary(new byte[1024 * 1024]).ToBytes().AsSpan(0, 150)];
        var decoder = new MessageDecoder();

        long before = GC.GetAllocatedBytesForCurrentThread();
        decoder.Feed(bytes);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(DecoderState.Content, decoder.State);
        Assert.Equal(1024 * 1024, decoder.PartLength);
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes for a claim it has barely started to receive");
    }

    [Fact]
    public void TryReadMessage_AfterFeedCompletedOne_ReturnsQueuedFirst()
    {
        var decoder = new MessageDecoder();
        decoder.Feed(GoldenBytes.MorpheusRequest);
        ReadOnlySpan<byte> next = GoldenBytes.MorpheusResponse;

        Assert.True(decoder.TryReadMessage(ref next, out var first));
        Assert.Equal("morpheus", first.JsonString("value"));
        Assert.Equal(GoldenBytes.MorpheusResponse.Length, next.Length);
        Assert.True(decoder.TryReadMessage(ref next, out var second));
        Assert.NotNull(second.JsonString("result"));
    }

    [Fact]
    public void Decoder_ContentOneByteOverTheLimit_Refused()
    {
        var limits = new MessageLimits { MaxContentLength = 1000 };
        byte[] bytes = Message.Binary(new byte[1001]).ToBytes();

        var error = Assert.Throws<ProtocolException>(() => new MessageDecoder(limits).Feed(bytes));

        Assert.Equal(ProtocolError.ContentTooLong, error.Error);
        Assert.Contains("1001", error.Message);
    }

    [Fact]
    public void Decoder_HeaderLengthOverLimit_FailsAfterTwoBytes()
    {
        var decoder = new MessageDecoder(new MessageLimits { MaxHeaderLength = 200 });

        var error = Assert.Throws<ProtocolException>(() => decoder.Feed([0xFF, 0xFF]));

        Assert.Equal(ProtocolError.HeaderTooLong, error.Error);
        Assert.Contains("65535", error.Message);
    }

    [Fact]
    public void Decoder_ZeroLengthHeader_FailsAsInvalidJson()
    {
        var error = Assert.Throws<ProtocolException>(() => new MessageDecoder().Feed([0, 0]));

        Assert.Equal(ProtocolError.InvalidJson, error.Error);
    }

    [Fact]
    public void Decoder_AfterError_StaysFailed()
    {
        var decoder = new MessageDecoder();
        Assert.Throws<ProtocolException>(() => decoder.Feed(GoldenBytes.Frame("[]", "")));

        var again = Assert.Throws<ProtocolException>(() => decoder.Feed(GoldenBytes.MorpheusRequest));

        Assert.Equal(ProtocolError.InvalidJson, again.Error);
        Assert.NotNull(decoder.Failure);
    }

    // ---- properties ----------------------------------------------------------------------

    private const int PropertyIterations = 2000;

    // Pieces of text that make UTF-8 interesting: 1- to 4-byte characters, escapes, controls.
    private static readonly Gen<string> s_text = Gen.OneOf("a", "Z", " ", "é", "€", "🐰", "🐶", "💍", "\"", "\\", "\n", "\u0000", "\u2028", "morpheus").Array[0, 40]
        .Select(string.Concat);

    private static readonly Gen<string> s_byteOrder = Gen.OneOf("little", "big");

    private static readonly Gen<Message> s_jsonMessage =
        Gen.Select(s_text, s_text, s_byteOrder, (action, value, order) =>
            Message.Json(new JsonObject { ["action"] = action, ["value"] = value }, order));

    private static readonly Gen<Message> s_textMessage =
        Gen.Select(s_text, s_text, s_byteOrder, (text, type, order) => Message.Text(text, "text/" + type, order));

    private static readonly Gen<Message> s_binaryMessage =
        Gen.Select(Gen.Frequency((6, Gen.Byte.Array[0, 300]), (1, Gen.Byte.Array[0, 20_000]), (2, Gen.Const(Array.Empty<byte>()))),
            s_byteOrder, (bytes, order) => Message.Binary(bytes, Message.ClientBinaryType, order));

    private static readonly Gen<Message> s_message = Gen.OneOf(s_jsonMessage, s_textMessage, s_binaryMessage);

    [Fact]
    public void Decoder_RandomMessagesSplitAnywhere_DecodesExactlyTheOriginals()
    {
        int longest = 0, cases = 0;
        Gen.Select(s_message.Array[1, 8], Gen.Int[1, 300].Array[1, 20])
            .Sample((messages, pieces) =>
            {
                byte[] stream = [.. messages.SelectMany(m => m.ToBytes())];
                Interlocked.Increment(ref cases);
                InterlockedMax(ref longest, stream.Length);

                var decoder = new MessageDecoder();
                var decoded = new List<Message>();
                var total = default(MessageParts);
                for (int offset = 0, i = 0; offset < stream.Length; i++)
                {
                    int size = Math.Min(pieces[i % pieces.Length], stream.Length - offset);
                    total += decoder.Feed(stream.AsSpan(offset, size));
                    offset += size;
                    while (decoder.TryReadMessage(out var message))
                    {
                        decoded.Add(message);
                    }
                }

                Assert.False(decoder.IsMidMessage);
                Assert.Equal(messages.Length, decoded.Count);
                for (int i = 0; i < messages.Length; i++)
                {
                    Assert.Equal(messages[i].Header, decoded[i].Header);
                    Assert.True(messages[i].Content.Span.SequenceEqual(decoded[i].Content.Span));
                }
                Assert.Equal(stream.Length, total.Total);
                Assert.Equal(2 * messages.Length, total.ProtoHeader);
                Assert.Equal(messages.Sum(m => m.Content.Length), total.Content);
                Assert.Equal(messages.Length, total.Messages);
            }, iter: PropertyIterations, writeLine: output.WriteLine);
        output.WriteLine($"split property: {cases} cases, longest stream {longest} bytes");
    }

    [Fact]
    public void Decoder_EveryStrictPrefix_NeedsMore()
    {
        int longest = 0, cases = 0;
        Gen.OneOf(s_jsonMessage, s_textMessage, Gen.Select(Gen.Byte.Array[0, 200], b => Message.Binary(b)))
            .Sample(message =>
            {
                byte[] bytes = message.ToBytes();
                Interlocked.Increment(ref cases);
                InterlockedMax(ref longest, bytes.Length);
                for (int length = 0; length < bytes.Length; length++)
                {
                    // A fresh decoder per prefix: each prefix on its own, not as the tail of a longer feed.
                    var decoder = new MessageDecoder();
                    ReadOnlySpan<byte> prefix = bytes.AsSpan(0, length);
                    Assert.False(decoder.TryReadMessage(ref prefix, out _));
                    Assert.Equal(length > 0, decoder.IsMidMessage);
                }
                var whole = new MessageDecoder();
                ReadOnlySpan<byte> all = bytes;
                Assert.True(whole.TryReadMessage(ref all, out var decoded));
                Assert.Equal(message.Header, decoded.Header);
            }, iter: PropertyIterations / 4, writeLine: output.WriteLine);
        output.WriteLine($"prefix property: {cases} cases, longest message {longest} bytes");
    }

    private static readonly MessageLimits s_smallLimits = new() { MaxContentLength = 4096, MaxHeaderLength = 512 };

    // Pure noise mostly dies at the 2-byte length (a random one is rarely <= the limit), so two
    // thirds of the cases put a small length first and fill the rest with noise or JSON-ish tokens.
    private static readonly Gen<byte[]> s_garbage = Gen.Frequency(
        (1, Gen.Byte.Array[0, 3000]),
        (1, Gen.Select(Gen.Int[0, 600], Gen.Byte.Array[0, 3000], (length, rest) => (byte[])[(byte)(length >> 8), (byte)length, .. rest])),
        (1, Gen.Select(Gen.Int[0, 600],
            Gen.OneOf("{", "}", "[", "]", "\"", ":", ",", " ", "0", "9", "-", ".", "e", "null", "true", "\"byteorder\"", "\"little\"",
                "\"content-type\"", "\"content-encoding\"", "\"utf-8\"", "\"binary\"", "\"content-length\"", "\\u00", "🐰", "\u00ff").Array[0, 300],
            Gen.Byte.Array[0, 100],
            (length, tokens, rest) => (byte[])[(byte)(length >> 8), (byte)length, .. Encoding.UTF8.GetBytes(string.Concat(tokens)), .. rest])));

    [Fact]
    public void Decoder_RandomGarbage_OnlyProtocolErrorsAndBoundedAllocation()
    {
        int longest = 0, cases = 0, failed = 0;
        Gen.Select(s_garbage, Gen.Int[1, 64])
            .Sample((garbage, piece) =>
            {
                Interlocked.Increment(ref cases);
                InterlockedMax(ref longest, garbage.Length);
                if (!FeedsCleanly(garbage, piece))
                {
                    Interlocked.Increment(ref failed);
                }
            }, iter: PropertyIterations, writeLine: output.WriteLine);
        output.WriteLine($"garbage property: {cases} cases ({failed} refused), longest input {longest} bytes");
    }

    // A mutation of a valid frame: overwrite, insert, delete or cut at a random position.
    private static readonly Gen<Func<byte[], byte[]>> s_mutation = Gen.OneOf(
        Gen.Select(Gen.Int[0, 10_000], Gen.Byte, (at, value) => new Func<byte[], byte[]>(b =>
        {
            if (b.Length == 0) return b;
            var copy = (byte[])b.Clone();
            copy[at % b.Length] = value;
            return copy;
        })),
        Gen.Select(Gen.Int[0, 10_000], Gen.Byte, (at, value) => new Func<byte[], byte[]>(b =>
        {
            int i = b.Length == 0 ? 0 : at % b.Length;
            return [.. b[..i], value, .. b[i..]];
        })),
        Gen.Select(Gen.Int[0, 10_000], at => new Func<byte[], byte[]>(b => b.Length == 0 ? b : [.. b[..(at % b.Length)], .. b[(at % b.Length + 1)..]])),
        Gen.Select(Gen.Int[0, 10_000], at => new Func<byte[], byte[]>(b => b.Length == 0 ? b : b[..(at % b.Length)])));

    [Fact]
    public void Decoder_MutatedValidFrames_OnlyProtocolErrorsAndBoundedAllocation()
    {
        int longest = 0, cases = 0, failed = 0;
        Gen.Select(s_message.Array[1, 3], s_mutation.Array[1, 4], Gen.Int[1, 64])
            .Sample((messages, mutations, piece) =>
            {
                byte[] stream = [.. messages.SelectMany(m => m.ToBytes())];
                foreach (var mutate in mutations)
                {
                    stream = mutate(stream);
                }
                Interlocked.Increment(ref cases);
                InterlockedMax(ref longest, stream.Length);
                if (!FeedsCleanly(stream, piece))
                {
                    Interlocked.Increment(ref failed);
                }
            }, iter: PropertyIterations, writeLine: output.WriteLine);
        output.WriteLine($"mutation property: {cases} cases ({failed} refused), longest input {longest} bytes");
    }

    // Headers assembled from good and bad values: accepted exactly when a model of the rules says so.
    private static readonly Gen<(string Key, string Json)> s_headerEntry = Gen.OneOf(
        Gen.Select(Gen.OneOf("byteorder", "content-type", "content-encoding", "content-length", "extra"),
            Gen.OneOf("\"little\"", "\"big\"", "\"utf-8\"", "\"binary\"", "\"utf-16\"", "\"text/json\"", "\"\"", "\"🐰\"",
                "0", "7", "-1", "1.5", "1e3", "4096", "4097", "99999999999999999999", "\"7\"", "null", "true", "[]", "{}"),
            (key, value) => (key, value)));

    [Fact]
    public void Decoder_RandomHeaders_AcceptedExactlyWhenValid()
    {
        int cases = 0, accepted = 0;
        Gen.Select(s_headerEntry.Array[0, 7], Gen.Bool)
            .Sample((entries, fillIn) =>
            {
                var all = fillIn
                    ? [("byteorder", "\"big\""), ("content-type", "\"a/b\""), ("content-encoding", "\"binary\""), ("content-length", "7"), .. entries]
                    : entries;
                string json = "{" + string.Join(", ", all.Select(e => $"\"{e.Key}\": {e.Json}")) + "}";
                bool valid = IsValidByModel(all);
                byte[] frame = GoldenBytes.Frame(json, "1234567");
                Interlocked.Increment(ref cases);

                try
                {
                    var decoded = MessageDecoder.DecodeAll(frame, s_smallLimits);
                    Assert.True(valid, $"accepted an invalid header: {json}");
                    Interlocked.Increment(ref accepted);
                    Assert.NotEmpty(decoded);
                }
                catch (ProtocolException e) when (e.Error != ProtocolError.Truncated)
                {
                    Assert.False(valid, $"refused a valid header {json}: {e.Reason}");
                }
                catch (ProtocolException)
                {
                    // A valid header whose length is not 7 leaves the frame short or long: still valid framing.
                    Assert.True(valid, $"truncated but invalid header {json}");
                }
            }, iter: PropertyIterations, writeLine: output.WriteLine);
        output.WriteLine($"header model property: {cases} cases, {accepted} accepted");
        Assert.InRange(accepted, 1, cases - 1);
    }

    private static bool IsValidByModel((string Key, string Json)[] entries)
    {
        var required = entries.Where(e => e.Key != "extra").ToArray();
        if (required.Select(e => e.Key).Distinct().Count() != 4 || required.Length != 4)
        {
            return false;
        }
        var value = required.ToDictionary(e => e.Key, e => e.Json);
        return value["byteorder"] is "\"little\"" or "\"big\""
            && value["content-type"].StartsWith('"')
            && value["content-encoding"] is "\"utf-8\"" or "\"binary\""
            && value["content-length"] is "0" or "7" or "4096";
    }

    // Feeds input in pieces; true if it decoded cleanly, false if a ProtocolException stopped it.
    // Anything else escaping fails the test, as does allocating beyond what the limits allow.
    private static bool FeedsCleanly(byte[] input, int piece)
    {
        var decoder = new MessageDecoder(s_smallLimits);
        int messages = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool clean = true;
        try
        {
            for (int offset = 0; offset < input.Length; offset += piece)
            {
                messages += decoder.Feed(input.AsSpan(offset, Math.Min(piece, input.Length - offset))).Messages;
            }
        }
        catch (ProtocolException)
        {
            clean = false;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Each message may own its content (<= the limit) and header; the JSON parser needs a little more.
        long bound = (messages + 1) * (long)(s_smallLimits.MaxContentLength + 4 * s_smallLimits.MaxHeaderLength + 1024) + 32 * 1024;
        Assert.True(allocated <= bound, $"allocated {allocated} bytes for {input.Length} bytes of input ({messages} messages)");
        return clean;
    }

    // ---- the server's shared cap (ContentBuffers) ---------------------------------------------

    [Fact]
    public void Decoder_HeaderAnnouncingOneMiBThenTenBytes_HoldsWhatArrivedNotTheAnnouncedLength()
    {
        var buffers = new ContentBuffers(64L * 1024 * 1024);
        var decoder = new MessageDecoder(null, buffers);
        byte[] header = MessageEncoder.Frame(new MessageHeader("little", "binary/x", "binary", 1024 * 1024).ToString());

        decoder.Feed(header);
        Assert.Equal(0, buffers.Buffered);
        decoder.Feed(new byte[10]);
        Assert.InRange(buffers.Buffered, 10, 16 * 1024);

        decoder.ReturnBuffers();
        Assert.Equal(0, buffers.Buffered);
    }

    [Fact]
    public void Decoder_ManyDecodersOneCapAnyCuts_BufferedNeverPassesTheCapAndOnlyServerBusyRefuses()
    {
        // Several requests share one cap, their bytes interleaved in random pieces (as a server's
        // connections' recv() calls are): a request is either decoded byte for byte or refused with
        // ServerBusy, the total held never passes the cap, and everything is given back at the end.
        var limits = new MessageLimits { MaxContentLength = 100_000 };
        Gen.Select(Gen.Int[1_000, 250_000], Gen.Int[1, 100_000].Array[2, 6], Gen.Int)
            .Sample((cap, lengths, seed) =>
            {
                var random = new Random(seed);
                var buffers = new ContentBuffers(cap);
                var streams = lengths.Select(n => Message.Binary(Enumerable.Range(0, n).Select(i => (byte)(i * 7 + n)).ToArray()).ToBytes()).ToArray();
                var decoders = lengths.Select(_ => new MessageDecoder(limits, buffers)).ToArray();
                var sent = new int[streams.Length];
                var done = new bool[streams.Length];
                while (done.Contains(false))
                {
                    int i = random.Next(streams.Length);
                    if (done[i])
                    {
                        continue;
                    }
                    int piece = Math.Min(random.Next(1, 5_000), streams[i].Length - sent[i]);
                    try
                    {
                        decoders[i].Feed(streams[i].AsSpan(sent[i], piece));
                        sent[i] += piece;
                        if (decoders[i].TryReadMessage(out var message))
                        {
                            Assert.Equal(lengths[i], message.Content.Length);
                            Assert.True(message.Content.Span.SequenceEqual(streams[i].AsSpan(streams[i].Length - lengths[i])));
                            done[i] = true;
                        }
                    }
                    catch (ProtocolException e)
                    {
                        Assert.Equal(ProtocolError.ServerBusy, e.Error);
                        // Each holds at most its own length, plus one old buffer while one grows.
                        Assert.True(lengths.Sum() + lengths.Max() > cap, $"refused under a cap of {cap} that fits all of {string.Join(", ", lengths)}");
                        decoders[i].ReturnBuffers(); // as the server does when it closes the connection
                        done[i] = true;
                    }
                    Assert.InRange(buffers.Buffered, 0, cap);
                }
                foreach (var decoder in decoders)
                {
                    decoder.ReturnBuffers();
                }
                Assert.Equal(0, buffers.Buffered);
            }, iter: 200, writeLine: output.WriteLine);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
