using Azure.Storage.Queues;

namespace Caldera.LocalHost.Queues;

/// <summary>
/// Turns the text stored in the queue into the body the function receives, per host.json's messageEncoding. The
/// pump's own client reads raw text (encoding None) so it can keep the original for the poison queue, and so a
/// message that is not valid base64 can be handled as the host does (straight to the poison queue).
/// </summary>
public static class QueueMessageCodec
{
    public static bool TryDecode(string storedText, QueueMessageEncoding encoding, out BinaryData body)
    {
        if (encoding == QueueMessageEncoding.None)
        {
            body = BinaryData.FromString(storedText);
            return true;
        }
        // Same rule as the storage SDK's base64 client: the whole text must be base64.
        try
        {
            body = BinaryData.FromBytes(Convert.FromBase64String(storedText));
            return true;
        }
        catch (FormatException)
        {
            body = BinaryData.Empty;
            return false;
        }
    }
}
