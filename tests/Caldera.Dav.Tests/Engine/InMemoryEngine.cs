using System.Reflection;
using System.Text;
using Caldera.Calendars.Accounts;
using Caldera.Calendars.Providers;
using Caldera.Calendars.Providers.Store;
using Caldera.Calendars.Registry;
using Caldera.Storage;
using Caldera.Storage.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Caldera.Dav.Tests.Engine;

/// <summary>
/// The real engine (every handler and report, as registered by AddCalderaDav) over one in-memory calendar
/// <c>/calendars/bench/big/</c> of generated events; any password is accepted. Nothing here does I/O, so a request
/// runs to its end synchronously on the calling thread.
/// </summary>
internal sealed class InMemoryEngine
{
    public const string CalendarPath = "/calendars/bench/big/";

    readonly IDavEngine _engine;

    public InMemoryEngine(int objects)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<IAccountService>(new Accounts());
        services.AddSingleton<IProviderRegistryStore>(new NoRegistryRows());
        services.AddSingleton<ProviderRegistry>();
        services.AddSingleton<ICalendarProvider>(new OneCalendar(new Calendar(objects)));
        services.AddSingleton<CalendarHome>();
        // MKCALENDAR's handler needs the store provider; nothing here reaches the store.
        services.AddSingleton(DispatchProxy.Create<ICalendarStore, Unreachable>());
        // The outbox POST handler looks addresses up; nothing here posts to an outbox.
        services.AddSingleton(DispatchProxy.Create<IUserStore, Unreachable>());
        services.AddSingleton<StoreCalendarProvider>();
        services.AddCalderaDav();
        _engine = services.BuildServiceProvider().GetRequiredService<IDavEngine>();
    }

    /// <summary>Runs one request; the returned task is the engine's, so a caller can see whether it completed at once.</summary>
    public Task SendAsync(HttpContext context) => _engine.HandleAsync(context, CancellationToken.None);

    public static HttpContext Request(string method, string path, string depth, string body, Stream responseBody)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.Headers["Depth"] = depth;
        context.Request.Headers.Authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("bench:any"));
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        context.Response.Body = responseBody;
        return context;
    }

    public static string ObjectName(int i) => $"ev{i:D6}.ics";

    public class Unreachable : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? method, object?[]? args) => throw new NotSupportedException(method?.Name);
    }

    sealed class Accounts : IAccountService
    {
        public Task<UserRecord?> GetUserAsync(string userName, CancellationToken ct) =>
            Task.FromResult<UserRecord?>(new UserRecord(userName, userName, userName + "@example.com", DateTimeOffset.UnixEpoch));
        public Task<bool> VerifyAsync(string userName, string password, CancellationToken ct) => Task.FromResult(true);
        public Task<bool> IndexAddressAsync(string userName, CancellationToken ct) => throw new NotSupportedException();
        public Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken ct) => throw new NotSupportedException();
        public Task<CreateUserStatus> CreateUserAsync(string userName, string? displayName, string? email, CancellationToken ct) => throw new NotSupportedException();
        public Task<bool> DeleteUserAsync(string userName, CancellationToken ct) => throw new NotSupportedException();
        public Task<NewAppPassword?> CreateAppPasswordAsync(string userName, string label, string? chosenPassword, CancellationToken ct) => throw new NotSupportedException();
        public Task<IReadOnlyList<AppPasswordRecord>> ListAppPasswordsAsync(string userName, CancellationToken ct) => throw new NotSupportedException();
        public Task<bool> RevokeAppPasswordAsync(string userName, string id, CancellationToken ct) => throw new NotSupportedException();
        public Task<string?> FindMatchingPasswordAsync(string userName, string password, CancellationToken ct) => throw new NotSupportedException();
    }

    sealed class NoRegistryRows : IProviderRegistryStore
    {
        public Task<IReadOnlyList<ProviderRegistration>> GetForUserAsync(string userName, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<ProviderRegistration>>([]);
        public Task UpsertAsync(ProviderRegistration registration, CancellationToken ct) => throw new NotSupportedException();
        public Task<bool> DeleteAsync(string principal, string appId, CancellationToken ct) => throw new NotSupportedException();
    }

    /// <summary>Serves the calendar as the built-in store would (no app prefix in its path).</summary>
    sealed class OneCalendar(Calendar calendar) : ICalendarProvider
    {
        public string AppId => StoreCalendarProvider.Id;
        public Task<IReadOnlyList<ICalendar>> GetCalendarsAsync(CalendarContext context, IReadOnlyCollection<string>? calendarUris, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<ICalendar>>([calendar]);
        public Task<bool> HasCalendarAsync(CalendarContext context, string calendarUri, CancellationToken ct) => Task.FromResult(calendarUri == calendar.Uri);
        public Task<ICalendar?> GetCalendarAsync(CalendarContext context, string calendarUri, CancellationToken ct) =>
            Task.FromResult<ICalendar?>(calendarUri == calendar.Uri ? calendar : null);
    }

    sealed class Calendar(int count) : ICalendar
    {
        readonly List<ICalendarObject> _objects = Enumerable.Range(0, count).Select(i => (ICalendarObject)new CalendarObject(i)).ToList();
        public string Uri => "big";
        public string Owner => "bench";
        public string? DisplayName => "Big";
        public string? Description => null;
        public string? Color => "#336699";
        public int? Order => 1;
        public string? TimeZone => null;
        public IReadOnlyList<string> SupportedComponents => ["VEVENT", "VTODO"];
        public string CTag => "ctag-1";
        public string? SyncToken => null;
        public DateTimeOffset? LastModified => DateTimeOffset.UnixEpoch;
        public CalendarPrivileges Privileges => CalendarPrivileges.All;
        public Task<IReadOnlyList<ICalendarObject>> GetObjectsAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<ICalendarObject>>(_objects);
        public Task<ICalendarObject?> GetObjectAsync(string name, CancellationToken ct) => Task.FromResult(_objects.FirstOrDefault(o => o.Name == name));
        public Task<IReadOnlyList<ICalendarObject>> GetObjectsAsync(IReadOnlyCollection<string> names, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<ICalendarObject>>(_objects.Where(o => names.Contains(o.Name)).ToList());
        public Task<CalendarChanges?> GetChangesAsync(string syncToken, CancellationToken ct) => Task.FromResult<CalendarChanges?>(null);
    }

    sealed class CalendarObject(int i) : ICalendarObject
    {
        readonly byte[] _data = Encoding.UTF8.GetBytes(
            $"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//EN\r\nBEGIN:VEVENT\r\nUID:ev{i}\r\nDTSTAMP:20250101T000000Z\r\n" +
            $"DTSTART:20250301T100000Z\r\nDTEND:20250301T110000Z\r\nSUMMARY:Event {i}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        public string Name { get; } = ObjectName(i);
        public string ETag { get; } = $"\"{(ulong)i * 2654435761UL:x16}\"";
        public long Size => _data.Length;
        public string ContentType => "text/calendar; charset=utf-8";
        public DateTimeOffset LastModified { get; } = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(i);
        public string Uid => $"ev{i}";
        public string Component => "VEVENT";
        public Task<byte[]?> GetDataAsync(CancellationToken ct) => Task.FromResult<byte[]?>(_data);
    }
}
