namespace SocketsNotebooks.Network;

/// <summary>How one wait of the relay for its receiver ended (see <see cref="ReceiverProgress"/>).</summary>
internal enum Pace
{
    /// <summary>The receiver took every byte sent so far (or is gone, or waiting is off until it shows up).</summary>
    Read,
    /// <summary>It is in the trace but did not read within the timeout.</summary>
    TimedOut,
    /// <summary>It has no call in the trace: stop waiting for it until it has.</summary>
    GaveUp,
}
