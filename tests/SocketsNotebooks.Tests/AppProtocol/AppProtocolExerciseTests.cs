using SocketsNotebooks.AppProtocol;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Tests.AppProtocol;

public sealed class AppProtocolExerciseTests
{
    [Fact]
    public void CheckBytesAction_ReferenceSolution_Passes()
    {
        string verdict = Check(app => app.Actions[AppProtocolExercise.ActionName] = AppProtocolExercise.ReferenceBytesAction);

        Assert.StartsWith("✅", verdict);
        Assert.Contains("'🐶' → 4", verdict);
    }

    [Fact]
    public void CheckBytesAction_NoActionAdded_FailsNamingTheAction()
    {
        string verdict = Check(_ => { });

        Assert.StartsWith("❌", verdict);
        Assert.Contains("does not know the action 'bytes'", verdict);
    }

    [Fact]
    public void CheckBytesAction_CountsChars_FailsWithUtf8Hint()
    {
        string verdict = Check(app => app.Actions["bytes"] = value => (value ?? "").Length.ToString());

        Assert.StartsWith("❌", verdict);
        Assert.Contains("UTF-16", verdict);
    }

    [Fact]
    public void CheckBytesAction_ActionThrows_FailsWithoutHanging()
    {
        string verdict = Check(app => app.Actions["bytes"] = _ => throw new NotImplementedException());

        Assert.StartsWith("❌ No answer", verdict);
    }

    private static string Check(Action<SearchApp> solve)
    {
        var trace = new Trace();
        var server = AppServer.Start(trace, name: "exercise-" + Guid.NewGuid());
        try
        {
            solve(server.App);
            return AppProtocolExercise.CheckBytesAction(server.EndPoint, trace);
        }
        finally
        {
            server.Stop();
        }
    }

    // ---- the decoder exercise ---------------------------------------------------------------

    [Fact]
    public void CheckDecoder_ReferenceSolution_PassesEverySplit()
    {
        string verdict = AppProtocolExercise.CheckDecoder(AppProtocolExercise.ReferenceDecoder);

        Assert.StartsWith("✅", verdict);
        Assert.Contains("3 messages", verdict);
    }

    [Fact]
    public void CheckDecoder_CommittedSkeleton_FailsWithoutGivingTheSolution()
    {
        // The notebook's cell as committed: the proto header state written, the other two left to the learner.
        string verdict = AppProtocolExercise.CheckDecoder(() => new LearnerDecoder(fillIn: false).Feed);

        Assert.StartsWith("❌", verdict);
        Assert.Contains("no message at all", verdict);
        Assert.DoesNotContain("MessageHeader.Parse", verdict);
    }

    [Fact]
    public void CheckDecoder_StatesThrowNotImplemented_SaysNotWrittenYet()
    {
        string verdict = AppProtocolExercise.CheckDecoder(() => _ => throw new NotImplementedException());

        Assert.StartsWith("❌ The decoder is not written yet", verdict);
    }

    [Fact]
    public void CheckDecoder_EachRecvTakenAsWholeMessages_FailsAtTheFirstCutWithItsBytes()
    {
        // The classic mistake: decode what one recv() returned as if it held whole messages.
        string verdict = AppProtocolExercise.CheckDecoder(() => received => MessageDecoder.DecodeAll(received));

        Assert.StartsWith("❌ Stream cut in two after byte 1:", verdict);
        Assert.Contains("inside the 2-byte proto header of message 1", verdict);
        Assert.Contains(@"b'\x00' | b'g{""byteorder", verdict);
    }

    [Fact]
    public void CheckDecoder_WaitsForOneMoreByteBeforeFinishing_FailsOnTheEmptyMessage()
    {
        string verdict = AppProtocolExercise.CheckDecoder(() => new LearnerDecoder(fillIn: true, needsAByte: true).Feed);

        Assert.StartsWith("❌", verdict);
        Assert.Contains("message 3", verdict);
        Assert.Contains("never came out", verdict);
    }

    // What a learner writes in notebook 03's cell, with the mistakes the tests above need.
    private sealed class LearnerDecoder(bool fillIn, bool needsAByte = false)
    {
        private readonly List<byte> _buffer = [];
        private DecoderState _state = DecoderState.ProtoHeader;
        private int _headerLength;
        private MessageHeader? _header;

        public List<Message> Feed(byte[] received)
        {
            _buffer.AddRange(received);
            var messages = new List<Message>();
            while (Step(messages))
            {
            }
            return messages;
        }

        private bool Step(List<Message> messages)
        {
            if (needsAByte && _buffer.Count == 0)
            {
                return false;
            }
            switch (_state)
            {
                case DecoderState.ProtoHeader:
                    if (_buffer.Count < 2)
                    {
                        return false;
                    }
                    _headerLength = _buffer[0] << 8 | _buffer[1];
                    _buffer.RemoveRange(0, 2);
                    _state = DecoderState.JsonHeader;
                    return true;
                case DecoderState.JsonHeader:
                    if (!fillIn || _buffer.Count < _headerLength)
                    {
                        return false;
                    }
                    _header = MessageHeader.Parse(_buffer.GetRange(0, _headerLength).ToArray());
                    _buffer.RemoveRange(0, _headerLength);
                    _state = DecoderState.Content;
                    return true;
                default:
                    if (!fillIn || _buffer.Count < _header!.ContentLength)
                    {
                        return false;
                    }
                    messages.Add(new Message(_header, _buffer.GetRange(0, _header.ContentLength).ToArray()));
                    _buffer.RemoveRange(0, _header.ContentLength);
                    _state = DecoderState.ProtoHeader;
                    return true;
            }
        }
    }
}
