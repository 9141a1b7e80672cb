using Caldera.Dav;

namespace Caldera.Fuzz.Tests.Targets;

/// <summary>The documented way a body reader refuses input: a <see cref="DavException"/> with a 4xx status.</summary>
public static class DavErrors
{
    public static void Allow4xx(Action read)
    {
        try
        {
            read();
        }
        catch (DavException e) when (e.Status is >= 400 and < 500)
        {
        }
    }
}
