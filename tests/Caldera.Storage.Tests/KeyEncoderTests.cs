namespace Caldera.Storage.Tests;

public class KeyEncoderTests
{
    [Theory]
    [InlineData("plain.ics")]
    [InlineData("a/b")]
    [InlineData("x#y?z")]
    [InlineData("%41")]
    [InlineData("ünï cødé.ics")]
    [InlineData("a|b")]
    [InlineData("back\\slash~!=")]
    [InlineData("emoji 😀")]
    public void Encode_round_trips_and_uses_only_safe_characters(string name)
    {
        var encoded = KeyEncoder.Encode(name);
        Assert.Equal(name, KeyEncoder.Decode(encoded));
        Assert.All(encoded, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '@' or '-' or '!', $"'{c}' in {encoded}"));
    }

    [Fact]
    public void Encoding_is_upper_case_hex_and_keeps_the_safe_set()
    {
        Assert.Equal("a!2Fb", KeyEncoder.Encode("a/b"));
        Assert.Equal("!2541", KeyEncoder.Encode("%41"));
        Assert.Equal("A-z_0.9@", KeyEncoder.Encode("A-z_0.9@"));
        Assert.Equal("!C3!BC", KeyEncoder.Encode("ü"));
    }

    [Fact]
    public void Long_names_become_a_hash_that_cannot_collide_with_an_encoding()
    {
        var longName = new string('é', 200);
        var key = KeyEncoder.EncodeKey(longName);
        Assert.StartsWith("=", key);
        Assert.Equal(65, key.Length);
        Assert.NotEqual(key, KeyEncoder.EncodeKey(new string('é', 199) + "e"));
        Assert.Equal("!3D" + new string('a', 10), KeyEncoder.EncodeKey("=" + new string('a', 10)));
    }

    [Theory]
    [InlineData("a%2Fb")]
    [InlineData("!zz")]
    [InlineData("!4")]
    [InlineData("a|b")]
    public void Decode_rejects_what_encode_never_produces(string encoded) =>
        Assert.Throws<FormatException>(() => KeyEncoder.Decode(encoded));
}
