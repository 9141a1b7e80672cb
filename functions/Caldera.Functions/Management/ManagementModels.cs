using Caldera.Storage;

namespace Caldera.Functions.Management;

/// <summary>Route prefix of the management API: not admin/ or runtime/, which the Functions host owns.</summary>
public static class ManagementRoutes
{
    public const string Users = "manage/users";
    public const string User = "manage/users/{user}";
    public const string Passwords = "manage/users/{user}/passwords";
    public const string Password = "manage/users/{user}/passwords/{id}";
    public const string Providers = "manage/providers/{principal}";
    public const string Provider = "manage/providers/{principal}/{appId}";
    public const string Shares = "manage/users/{owner}/shares";
    public const string Share = "manage/users/{owner}/calendars/{calendar}/shares/{sharee}";
    public const string ImipStatus = "manage/users/{user}/imip";
    public const string AddressIndex = "manage/users/{user}/address-index";
    public const string ImipUnknown = "manage/imip/unknown";
    public const string ImipOutbound = "manage/users/{user}/imip/outbound";
    public const string ImipOutboundResend = "manage/users/{user}/imip/outbound/resend";
    public const string ImipOutboundResendOne = "manage/users/{user}/imip/outbound/{id}/resend";
}

public sealed record CreateUserRequest(string? UserName, string? DisplayName, string? Email);

public sealed record CreatePasswordRequest(string? Label, string? Password);

/// <summary>A user as the management API shows it.</summary>
public sealed record UserResponse(string UserName, string DisplayName, string Email, DateTimeOffset Created)
{
    public static UserResponse From(UserRecord u) => new(u.UserName, u.DisplayName, u.Email, u.Created);
}

/// <summary>An app password as listed: never its hash, never its clear text.</summary>
public sealed record PasswordResponse(string Id, string Label, DateTimeOffset Created)
{
    public static PasswordResponse From(AppPasswordRecord p) => new(p.Id, p.Label, p.Created);
}

/// <summary>A freshly created app password: the only response that carries the clear text.</summary>
public sealed record CreatedPasswordResponse(string UserName, string Id, string Label, string Password);

public sealed record ErrorResponse(string Error);

/// <summary>Body of PUT manage/providers/{principal}/{appId}.</summary>
public sealed record ProviderRequest(bool? Enabled, string? Configuration);

/// <summary>A provider registry row: <c>principal</c> is a user name or "*" (everyone).</summary>
public sealed record ProviderResponse(string Principal, string AppId, bool Enabled, string? Configuration);
