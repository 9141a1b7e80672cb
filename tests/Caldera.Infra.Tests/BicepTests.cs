using System.Text.Json.Nodes;
using Caldera.Functions.Configuration;
using Xunit.Abstractions;

namespace Caldera.Infra.Tests;

/// <summary>infra/main.bicep compiles and lints clean offline, and the compiled template deploys what the app reads, with no keys.</summary>
public sealed class BicepTests(BicepFixture bicep, ITestOutputHelper output) : IClassFixture<BicepFixture>
{
    /// <summary>The data roles of the app's identity (built-in role definition IDs), and nothing else.</summary>
    static readonly Dictionary<string, string> ExpectedRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner",
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor",
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor",
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Monitoring Metrics Publisher",
        ["4633458b-17de-408a-b874-0445c86b69e6"] = "Key Vault Secrets User",
    };

    ArmTemplate Template => bicep.Compiled;

    [Fact]
    public void Build_succeeds_without_warnings_or_errors()
    {
        output.WriteLine($"bicep build: {bicep.Build.Duration.TotalSeconds:F1} s, bicep lint: {bicep.Lint.Duration.TotalSeconds:F1} s ({Repo.BicepPath})");
        Assert.True(bicep.Build.ExitCode == 0, bicep.Build.Output);
        Assert.Empty(BicepFixture.Diagnostics(bicep.Build));
    }

    [Fact]
    public void Lint_succeeds_without_warnings_or_errors()
    {
        Assert.True(bicep.Lint.ExitCode == 0, bicep.Lint.Output);
        Assert.Empty(BicepFixture.Diagnostics(bicep.Lint));
    }

    [Fact]
    public void Every_setting_the_app_requires_in_Azure_is_set_on_the_function_app()
    {
        var settings = Template.AppSettings;
        Assert.NotEmpty(CalderaSettings.RequiredInAzure);
        var missing = CalderaSettings.RequiredInAzure.Where(s => !settings.ContainsKey(s.AppSettingName)).Select(s => s.AppSettingName).ToList();
        Assert.True(missing.Count == 0, "missing app settings: " + string.Join(", ", missing));
        // Every setting written is one the model knows (no stray names the app would silently ignore).
        var unknown = settings.Keys.Where(k => !CalderaSettings.All.Any(s => string.Equals(s.AppSettingName, k, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(unknown.Count == 0, "settings not in CalderaSettings.All: " + string.Join(", ", unknown));
    }

    [Fact]
    public void Identity_settings_have_the_expected_values()
    {
        var settings = Template.AppSettings;
        foreach (var section in new[] { StorageSettings.Section, CalderaSettings.HostStorageSection })
        {
            Assert.Equal(StorageSettings.ManagedIdentityCredential, settings[$"{section}__credential"]);
            Assert.Contains("userAssignedIdentities", settings[$"{section}__clientId"]);
            Assert.EndsWith(".clientId]", settings[$"{section}__clientId"]);
            foreach (var service in new[] { "blob", "queue", "table" })
                Assert.EndsWith($".primaryEndpoints.{service}]", settings[$"{section}__{service}ServiceUri"]);
        }
        Assert.Contains("Authorization=AAD", settings[CalderaSettings.ApplicationInsightsAuthenticationString]);
        Assert.Contains("ClientId=", settings[CalderaSettings.ApplicationInsightsAuthenticationString]);
    }

    [Fact]
    public void No_setting_holds_a_key_a_SAS_or_a_storage_connection_string()
    {
        string[] forbidden =
        [
            "AccountKey=", "SharedAccessSignature", "SharedAccessKey", "DefaultEndpointsProtocol", "UseDevelopmentStorage",
            "InstrumentationKey=", "listKeys(", "listAccountSas(", "listServiceSas(",
        ];
        foreach (var (name, value) in Template.AppSettings)
        foreach (var f in forbidden)
            Assert.False(value.Contains(f, StringComparison.OrdinalIgnoreCase), $"{name} contains {f}: {value}");
        foreach (var f in new[] { "listKeys(", "AccountKey=", "listAccountSas(" })
            Assert.DoesNotContain(f, Template.Text, StringComparison.OrdinalIgnoreCase);
        // The connection-string forms of the storage connections are not set at all (only their __ identity parts).
        Assert.DoesNotContain(Template.AppSettings.Keys, k => k.Equals("AzureWebJobsStorage", StringComparison.OrdinalIgnoreCase)
                                                             || k.Equals(StorageSettings.Section, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Storage_refuses_shared_keys_and_public_blobs()
    {
        var storage = Template.Single("Microsoft.Storage/storageAccounts")["properties"]!;
        Assert.False((bool)storage["allowSharedKeyAccess"]!);
        Assert.False((bool)storage["allowBlobPublicAccess"]!);
        Assert.Equal("TLS1_2", (string?)storage["minimumTlsVersion"]);
        Assert.True((bool)storage["supportsHttpsTrafficOnly"]!);
    }

    [Fact]
    public void Raw_invitation_emails_expire_by_lifecycle_policy()
    {
        var rule = Template.Single("Microsoft.Storage/storageAccounts/managementPolicies")["properties"]!["policy"]!["rules"]!.AsArray().Single()!;
        Assert.True((bool)rule["enabled"]!);
        var definition = rule["definition"]!;
        // Only the container the app writes raw emails to (StorageLayout.ImipContainer = prefix + "imip").
        var prefix = Assert.Single(definition["filters"]!["prefixMatch"]!.AsArray())!.ToString();
        Assert.Equal("[format('{0}imip/', parameters('storagePrefix'))]", prefix);
        Assert.Equal("calderaimip", new Caldera.Storage.StorageLayout("caldera").ImipContainer);
        Assert.NotNull(definition["actions"]!["baseBlob"]!["delete"]!["daysAfterModificationGreaterThan"]);
    }

    [Fact]
    public void Application_Insights_takes_Entra_ID_ingestion_only()
    {
        var ai = Template.Single("Microsoft.Insights/components")["properties"]!;
        Assert.True((bool)ai["DisableLocalAuth"]!);
        Assert.NotNull(ai["WorkspaceResourceId"]);
    }

    [Fact]
    public void Identity_has_exactly_the_data_roles_and_nothing_else()
    {
        var assignments = Template.OfType("Microsoft.Authorization/roleAssignments").ToList();
        var roles = new List<string>();
        foreach (var a in assignments)
        {
            var p = a["properties"]!;
            var guids = ArmTemplate.Guid().Matches((string)p["roleDefinitionId"]!).Select(m => m.Value).ToList();
            roles.Add(Assert.Single(guids));
            var principal = (string)p["principalId"]!;
            Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", principal);
            Assert.EndsWith(".principalId]", principal);
            Assert.Equal("ServicePrincipal", (string?)p["principalType"]);
        }
        Assert.Equal(ExpectedRoles.Keys.Order(StringComparer.OrdinalIgnoreCase), roles.Order(StringComparer.OrdinalIgnoreCase));
        // one user-assigned identity, and the site uses only it (no system-assigned identity with roles of its own)
        Assert.Single(Template.OfType("Microsoft.ManagedIdentity/userAssignedIdentities"));
        Assert.Equal("UserAssigned", (string?)Template.Single("Microsoft.Web/sites")["identity"]!["type"]);
        // no custom role definitions either
        Assert.Empty(Template.OfType("Microsoft.Authorization/roleDefinitions"));
    }

    [Fact]
    public void Function_app_is_Flex_Consumption_with_the_projects_runtime()
    {
        var plan = Template.Single("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        Assert.True((bool)plan["properties"]!["reserved"]!);

        var site = Template.Single("Microsoft.Web/sites");
        Assert.Equal("functionapp,linux", (string?)site["kind"]);
        var props = site["properties"]!;
        Assert.True((bool)props["httpsOnly"]!);
        var config = props["functionAppConfig"]!;
        Assert.Equal("dotnet-isolated", (string?)config["runtime"]!["name"]);
        Assert.Equal(Repo.DotnetVersion, (string?)config["runtime"]!["version"]);
        var deployment = config["deployment"]!["storage"]!;
        Assert.Equal("blobContainer", (string?)deployment["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)deployment["authentication"]!["type"]);
        Assert.NotNull(config["scaleAndConcurrency"]!["instanceMemoryMB"]);
        Assert.NotNull(config["scaleAndConcurrency"]!["maximumInstanceCount"]);
        // Flex Consumption rejects the settings of the older plans; runtime and scale live in functionAppConfig.
        string[] deprecated = ["FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTSHARE"];
        Assert.DoesNotContain(Template.AppSettings.Keys, k => deprecated.Contains(k, StringComparer.OrdinalIgnoreCase));
        Assert.Null(props["siteConfig"]?["linuxFxVersion"]);
    }

    [Fact]
    public void Azd_finds_the_resource_group_and_the_app()
    {
        Assert.Equal("subscriptionDeploymentTemplate.json#", ((string)Template.Root["$schema"]!).Split('/').Last());
        var rg = Template.Single("Microsoft.Resources/resourceGroups");
        Assert.Equal("[variables('tags')]", rg["tags"]!.ToString());
        Assert.Equal("[parameters('environmentName')]", (string?)Template.Root["variables"]!["tags"]!["azd-env-name"]);
        var siteTags = Template.Single("Microsoft.Web/sites")["tags"]!.ToString();
        Assert.Contains("'azd-service-name', 'api'", siteTags);
        var outputs = Template.Root["outputs"]!.AsObject();
        foreach (var name in new[] { "AZURE_LOCATION", "AZURE_TENANT_ID", "AZURE_RESOURCE_GROUP", "AZURE_FUNCTION_NAME", "SERVICE_API_NAME", "SERVICE_API_URI" })
            Assert.True(outputs.ContainsKey(name), name);
        // azure.yaml names the same service, the Functions project, as a dotnet function host.
        var yaml = File.ReadAllText(Path.Combine(Repo.Root, "azure.yaml"));
        Assert.Contains("  api:", yaml);
        Assert.Contains("project: ./functions/Caldera.Functions", yaml);
        Assert.Contains("host: function", yaml);
        Assert.Contains("language: dotnet", yaml);
        // The build bundles the web page from node_modules, so azd installs them before it packages.
        Assert.Contains("prepackage:", yaml);
        Assert.Contains("run: npm ci", yaml);
    }

    [Fact]
    public void The_SMTP_password_comes_from_an_RBAC_Key_Vault_through_the_apps_identity()
    {
        var vault = Template.Single("Microsoft.KeyVault/vaults");
        var props = vault["properties"]!;
        Assert.True((bool)props["enableRbacAuthorization"]!);
        // RBAC only: no access policies at all.
        Assert.True(props["accessPolicies"] is null || props["accessPolicies"]!.AsArray().Count == 0);

        // The identity reads secrets of this vault (and only of it): the role assignment is scoped to the vault.
        var reader = Template.OfType("Microsoft.Authorization/roleAssignments")
            .Single(a => ((string)a["properties"]!["roleDefinitionId"]!).Contains("4633458b-17de-408a-b874-0445c86b69e6"));
        Assert.Contains("Microsoft.KeyVault/vaults", (string?)reader["scope"]);

        // The site resolves Key Vault references with the user-assigned identity.
        var site = Template.Single("Microsoft.Web/sites")["properties"]!;
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", (string?)site["keyVaultReferenceIdentity"]);

        // The password setting is a reference to the secret, never a value.
        var password = Template.AppSettings["Caldera__Smtp__Password"];
        Assert.StartsWith("[format('@Microsoft.KeyVault(VaultName={0};SecretName={1})'", password);
        Assert.Contains("smtp-password", Template.Text);
        foreach (var key in new[] { "Caldera__Smtp__Host", "Caldera__Smtp__Port", "Caldera__Smtp__Security", "Caldera__Smtp__UserName", "Caldera__Smtp__From", "Caldera__Smtp__SenderDomains" })
            Assert.StartsWith("[", Template.AppSettings[key]); // from a parameter, not written in
    }

    [Fact]
    public void No_secret_is_a_parameter_an_output_or_a_resource_of_the_template()
    {
        // The secret is set with az keyvault secret set; the template neither takes, writes nor returns it.
        Assert.Empty(Template.OfType("Microsoft.KeyVault/vaults/secrets"));
        foreach (var section in new[] { "parameters", "outputs" })
        {
            var names = (Template.Root[section] as JsonObject)?.Select(p => p.Key).ToList() ?? [];
            Assert.DoesNotContain(names, n => n.Contains("password", StringComparison.OrdinalIgnoreCase) || n.Contains("secret", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(names, n => (string?)Template.Root[section]![n]!["type"] is "secureString" or "securestring" or "secureObject");
        }
        Assert.Contains("AZURE_KEY_VAULT_NAME", Template.Root["outputs"]!.AsObject().Select(p => p.Key));
        // The outbound queue's app setting matches what the app derives from the prefix.
        Assert.Equal("[format('{0}imip-outbound', parameters('storagePrefix'))]", Template.AppSettings["CalderaImipOutboundQueue"]);
        Assert.Equal("calderaimip-outbound", new Caldera.Storage.StorageLayout("caldera").ImipOutboundQueue);
    }
}
