using Azure;

namespace Caldera.Storage.Tests;

/// <summary>Which storage failures the engine answers with 503 + Retry-After (an outage) and which stay 500 (a defect).</summary>
public class StorageFailuresTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(408)]
    [InlineData(409)]
    [InlineData(412)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public void Transient_and_unhandled_concurrency_statuses_are_an_outage(int status) =>
        Assert.True(StorageFailures.IsOutage(new RequestFailedException(status, "x")));

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(413)]
    public void Statuses_that_mean_a_defect_are_not(int status) =>
        Assert.False(StorageFailures.IsOutage(new RequestFailedException(status, "x")));

    [Fact]
    public void Spent_retries_network_errors_and_timeouts_are_an_outage()
    {
        // What the SDK's retry policy throws when every try threw.
        Assert.True(StorageFailures.IsOutage(new AggregateException(new IOException("reset"), new TaskCanceledException("timeout"))));
        Assert.True(StorageFailures.IsOutage(new IOException("reset")));
        Assert.True(StorageFailures.IsOutage(new TaskCanceledException("timeout", new TimeoutException())));
        Assert.True(StorageFailures.IsOutage(new System.Net.Http.HttpRequestException("refused")));
    }

    [Fact]
    public void Program_errors_are_not()
    {
        Assert.False(StorageFailures.IsOutage(new InvalidOperationException()));
        Assert.False(StorageFailures.IsOutage(new NullReferenceException()));
        Assert.False(StorageFailures.IsOutage(new AggregateException(new IOException("reset"), new ArgumentException("bug"))));
        Assert.False(StorageFailures.IsOutage(new AggregateException()));
    }
}
