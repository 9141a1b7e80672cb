// The resources of one Caldera deployment, in the resource group main.bicep creates.
// No keys anywhere: the storage account refuses shared-key auth, Application Insights refuses local auth, and the
// function app reaches both with one user-assigned managed identity that holds only data-plane roles.

param environmentName string
param location string
param tags object
param instanceMemoryMB int
param maximumInstanceCount int
param alwaysReadyInstances int
param storagePrefix string
param imipRetentionDays int
param smtpHost string
param smtpPort int
param smtpSecurity string
param smtpUserName string
param smtpFrom string
param smtpSenderDomains string

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName, location))
var functionAppName = 'func-caldera-${token}'
// The platform uploads the app package here (Flex Consumption "one deploy"); it must exist before the first deploy.
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(token, 7)}'

// --- identity -------------------------------------------------------------------------------------------------

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: 'id-caldera-${token}'
  location: location
  tags: tags
}

// --- storage: the app's tables and blobs, and the Functions host's own storage -----------------------------------

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: 'stcaldera${take(token, 15)}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false // identity only: no account keys, no SAS signed with them
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled' // Flex without a VNet reaches storage over its public endpoint (RBAC still applies)
    dnsEndpointType: 'Standard'
    accessTier: 'Hot'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: storage
  name: 'default'
}

// Only the deployment container is declared here. Caldera's own tables and container (names derived from
// Caldera:StoragePrefix in code, StorageLayout) are created by the app at start-up (IStorageInitializer), so their
// names have one source of truth; the identity's data roles allow that.
resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: { publicAccess: 'None' }
}

// Raw invitation emails are personal data kept only for audit and quarantine: the storage lifecycle deletes them
// after imipRetentionDays (the status rows, which hold no message body, stay). Container name: StorageLayout.ImipContainer.
resource imipRetention 'Microsoft.Storage/storageAccounts/managementPolicies@2025-01-01' = {
  parent: storage
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'imip-raw-mail-retention'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [ 'blockBlob' ]
              prefixMatch: [ '${storagePrefix}imip/' ]
            }
            actions: {
              baseBlob: {
                delete: { daysAfterModificationGreaterThan: imipRetentionDays }
              }
            }
          }
        }
      ]
    }
  }
}

// --- monitoring ---------------------------------------------------------------------------------------------------

resource logs 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: 'log-caldera-${token}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-caldera-${token}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true // ingestion only with Entra ID (the identity's Monitoring Metrics Publisher role)
  }
}

// --- secrets: the SMTP password, and nothing else ---------------------------------------------------------------

// RBAC authorization (no access policies): the app's identity may read secrets (Key Vault Secrets User, below), and
// whoever sets the password needs Key Vault Secrets Officer (docs/deploy.md). The secret itself is never part of
// this template, its parameters or outputs: `az keyvault secret set --name smtp-password` puts it there.
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-caldera-${take(token, 13)}'
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled' // the Flex app has no virtual network here; access is by Entra ID + RBAC only
  }
}

var smtpPasswordSecretName = 'smtp-password'

// --- compute ------------------------------------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: 'plan-caldera-${token}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' = {
  name: functionAppName
  location: location
  tags: union(tags, { 'azd-service-name': 'api' }) // azd deploys service "api" (azure.yaml) to the site with this tag
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references in app settings resolve with the user-assigned identity (the default would be a system-assigned one).
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: alwaysReadyInstances > 0 ? [{ name: 'http', instanceCount: alwaysReadyInstances }] : []
        triggers: {
          http: { perInstanceConcurrency: 16 } // set explicitly; CalDAV requests are short and I/O bound
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0' // the project's target framework (net10.0)
      }
    }
  }
}

// Identity-based settings only; the names are the ones the app binds (Caldera.Functions CalderaSettings) and
// the Functions host reads (AzureWebJobsStorage__*). tests/Caldera.Infra.Tests checks both against the compiled JSON.
resource appSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: {
    // The Functions host's own storage (keys, leases, deployment bookkeeping)
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identity.properties.clientId
    AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
    AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
    AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
    // Caldera's data (read by Caldera.Storage with DefaultAzureCredential + this client ID)
    Storage__credential: 'managedidentity'
    Storage__clientId: identity.properties.clientId
    Storage__blobServiceUri: storage.properties.primaryEndpoints.blob
    Storage__queueServiceUri: storage.properties.primaryEndpoints.queue
    Storage__tableServiceUri: storage.properties.primaryEndpoints.table
    Caldera__StoragePrefix: storagePrefix
    // The iMIP queue: the ImipProcess trigger names it as %CalderaImipQueue%; the app creates it (and its -poison twin)
    CalderaImipQueue: '${storagePrefix}imip'
    // Outbound invitation emails: the ImipSend trigger names its queue as %CalderaImipOutboundQueue%
    CalderaImipOutboundQueue: '${storagePrefix}imip-outbound'
    Caldera__Smtp__Host: smtpHost
    Caldera__Smtp__Port: string(smtpPort)
    Caldera__Smtp__Security: smtpSecurity
    Caldera__Smtp__UserName: smtpUserName
    Caldera__Smtp__From: smtpFrom
    Caldera__Smtp__SenderDomains: smtpSenderDomains
    // A Key Vault reference the platform resolves with keyVaultReferenceIdentity; until the secret exists the app
    // sees this text, and outbound mail stays held with a reason saying so (SmtpSettings).
    Caldera__Smtp__Password: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${smtpPasswordSecretName})'
    // The orphan sweeper's NCRONTAB schedule (the SweepOrphans trigger reads it as %CalderaSweepSchedule%): hourly
    CalderaSweepSchedule: '0 17 * * * *'
    // Telemetry with Entra ID auth (the connection string only names the resource; local auth is disabled)
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
  }
}

// --- role assignments: data roles only, for the app's identity only ------------------------------------------------

resource blobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b') // Storage Blob Data Owner
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource queueDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, '974c5e8b-45b9-4653-ba55-5f855dd0fb88')
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '974c5e8b-45b9-4653-ba55-5f855dd0fb88') // Storage Queue Data Contributor
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3') // Storage Table Data Contributor
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, '3913510d-42f4-4e42-8a64-420c390055eb')
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb') // Monitoring Metrics Publisher
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource vaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, '4633458b-17de-408a-b874-0445c86b69e6')
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6') // Key Vault Secrets User
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

output functionAppName string = functionApp.name
output functionAppUri string = 'https://${functionApp.properties.defaultHostName}'
output storageAccountName string = storage.name
output identityClientId string = identity.properties.clientId
output keyVaultName string = vault.name
