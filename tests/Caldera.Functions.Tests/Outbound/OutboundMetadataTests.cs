namespace Caldera.Functions.Tests.Outbound;

/// <summary>The built functions.metadata has the outbound queue trigger and the management functions as the host needs them.</summary>
public sealed class OutboundMetadataTests
{
    [Fact]
    public void The_send_trigger_names_its_queue_setting_and_connection()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(RepoPaths.FunctionsMetadataFile))!.AsArray();
        var function = json.Single(f => (string?)f!["name"] == "ImipSend")!;
        var trigger = function["bindings"]!.AsArray().Single(b => (string?)b!["type"] == "queueTrigger")!;
        Assert.Equal("In", (string?)trigger["direction"]);
        Assert.Equal("%" + Caldera.Storage.StorageLayout.ImipOutboundQueueSetting + "%", (string?)trigger["queueName"]);
        Assert.Equal("Storage", (string?)trigger["connection"]);
        Assert.Contains(Caldera.Functions.Configuration.CalderaSettings.RequiredInAzure, s => s.AppSettingName == Caldera.Storage.StorageLayout.ImipOutboundQueueSetting);
        Assert.Equal("calderaimip-outbound", new Caldera.Storage.StorageLayout("caldera").ImipOutboundQueue);
    }

    [Fact]
    public void The_management_functions_need_a_function_key_and_sort_before_the_dav_catch_alls()
    {
        var functions = FunctionsMetadata.LoadHttpFunctions();
        var expected = new Dictionary<string, (string Method, string Route)>
        {
            ["ManageOutboundList"] = ("GET", "manage/users/{user}/imip/outbound"),
            ["ManageOutboundResendAll"] = ("POST", "manage/users/{user}/imip/outbound/resend"),
            ["ManageOutboundResendOne"] = ("POST", "manage/users/{user}/imip/outbound/{id}/resend"),
        };
        foreach (var (name, (method, route)) in expected)
        {
            var f = Assert.Single(functions, f => f.Name == name);
            Assert.Equal(route, f.Route);
            Assert.Equal([method], f.Methods);
            Assert.Equal("Function", f.AuthLevel, ignoreCase: true);
            // The host tries routes in function-name order; the catch-alls are named Webdav….
            Assert.True(string.Compare(name, "Webdav", StringComparison.OrdinalIgnoreCase) < 0, name);
        }
    }
}
