namespace SocketsNotebooks.Selectors;

/// <summary>
/// One entry of <see cref="BaseSelector.Select"/>'s answer: Python's <c>(key, mask)</c> pair.
/// It deconstructs, so a loop reads <c>foreach (var (key, mask) in selector.Select(timeout))</c>.
/// </summary>
/// <param name="Key">The registration that is ready.</param>
/// <param name="Mask">Which of its events are ready now (a subset of <see cref="SelectorKey.Events"/>).</param>
public readonly record struct SelectorReady(SelectorKey Key, SelectorEvents Mask);
