using Caldera.Functions.Observability;
using Microsoft.AspNetCore.Http;

namespace Caldera.Infra.Tests;

public sealed class PathClassifierTests
{
    [Theory]
    [InlineData("/", "root")]
    [InlineData("", "root")]
    [InlineData("/principals/alice/", "principal")]
    [InlineData("/principals/alice", "principal")]
    [InlineData("/calendars/alice/", "home")]
    [InlineData("/calendars/alice/work/", "calendar")]
    [InlineData("/calendars/alice/work/x.ics", "object")]
    [InlineData("/calendars/alice/work/x.ics/more", "other")]
    [InlineData("/principals/", "other")]
    [InlineData("/.well-known/caldav", "other")]
    [InlineData("/healthz", "other")]
    [InlineData("/manage/users/alice", "other")]
    public void Classifies_by_shape_only(string path, string expected) =>
        Assert.Equal(expected, PathClassifier.Classify(new PathString(path)));

    [Theory]
    [InlineData("propfind", "PROPFIND")]
    [InlineData("MKCALENDAR", "MKCALENDAR")]
    [InlineData("GET\r\nX", "OTHER")]
    [InlineData("AVERYLONGMETHODNAMETHATISNOTAVERB", "OTHER")]
    public void Methods_are_logged_only_when_they_look_like_verbs(string method, string expected) =>
        Assert.Equal(expected, RequestLogger.MethodOf(method));
}
