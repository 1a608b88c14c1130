namespace SocketsNotebooks.MultiConn;

/// <summary>How often a server's loop woke up during one phase of a <see cref="WakeUpProbe"/>.</summary>
/// <param name="Mode">"naive" or "write only when needed" (or "your rule").</param>
/// <param name="Phase">What was going on: no connections, idle connections open, after they closed.</param>
/// <param name="Seconds">How long the phase lasted.</param>
/// <param name="WakeUps">Returns from <c>Select</c> during the phase.</param>
/// <param name="IdleWakeUps">Of those, the ones that did nothing.</param>
public sealed record WakeUpRate(string Mode, string Phase, double Seconds, long WakeUps, long IdleWakeUps)
{
    /// <summary>Wake-ups per second.</summary>
    public double PerSecond => Seconds > 0 ? Math.Round(WakeUps / Seconds, 1) : 0;
}
