namespace Caldera.LocalHost.Queues;

/// <summary>
/// The host's randomized exponential back-off between polls of an empty queue: back to the minimum (100 ms) after a
/// poll found messages, otherwise roughly doubling (±20 %) up to maxPollingInterval. Not thread-safe: one per pump.
/// </summary>
public sealed class PollingBackoff
{
    const double Randomization = 0.2;
    readonly TimeSpan _minimum;
    readonly TimeSpan _maximum;
    TimeSpan _current;
    int _exponent;

    public PollingBackoff(TimeSpan minimum, TimeSpan maximum)
    {
        if (minimum <= TimeSpan.Zero || maximum < minimum)
            throw new ArgumentOutOfRangeException(nameof(maximum), $"need 0 < minimum ({minimum}) <= maximum ({maximum})");
        _minimum = _current = minimum;
        _maximum = maximum;
    }

    public TimeSpan Next(bool foundMessages)
    {
        if (foundMessages)
        {
            _current = _minimum;
            _exponent = 0;
            return _current;
        }
        if (_current >= _maximum)
            return _maximum;
        var factor = 1 - Randomization + Random.Shared.NextDouble() * 2 * Randomization;
        var next = _minimum + TimeSpan.FromMilliseconds(factor * Math.Pow(2, _exponent) * _minimum.TotalMilliseconds);
        _exponent++;
        _current = next < _maximum ? next : _maximum;
        return _current;
    }
}
