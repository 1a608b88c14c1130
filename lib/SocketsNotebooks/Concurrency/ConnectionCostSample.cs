namespace SocketsNotebooks.Concurrency;

/// <summary>What N open, idle connections cost the process, against the moment before the first was opened.</summary>
/// <param name="Model">Which server (<see cref="EchoModels.Label"/>).</param>
/// <param name="Connections">Connections open, each answered once (so the server is serving it).</param>
/// <param name="Threads">Threads the process has now.</param>
/// <param name="ThreadsAdded">Threads more than before the first connection.</param>
/// <param name="ResidentBytesAdded">Growth of resident memory (RAM really used: touched stack pages, heap, ...).</param>
/// <param name="VirtualBytesAdded">Growth of reserved address space (thread stacks are reserved whole).</param>
/// <param name="ManagedBytesAdded">Growth of the .NET heap (live objects after a full collection).</param>
/// <param name="OpenSeconds">Time spent opening the connections so far (connect, send, and wait for each echo), measurements left out.</param>
public sealed record ConnectionCostSample(
    string Model,
    int Connections,
    int Threads,
    int ThreadsAdded,
    long ResidentBytesAdded,
    long VirtualBytesAdded,
    long ManagedBytesAdded,
    double OpenSeconds)
{
    /// <summary>Resident bytes added per connection (0 at 0 connections).</summary>
    public double ResidentBytesPerConnection => Connections == 0 ? 0 : (double)ResidentBytesAdded / Connections;

    /// <summary>Reserved address space added per connection.</summary>
    public double VirtualBytesPerConnection => Connections == 0 ? 0 : (double)VirtualBytesAdded / Connections;
}
