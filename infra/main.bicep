// Caldera on Azure Functions Flex Consumption, for `azd up`.
// Subscription scope, as azd's templates do: this file creates the resource group (tagged azd-env-name) and
// deploys resources.bicep into it. Resources are written directly (no br/public: registry modules) so that
// `bicep build` and `bicep lint` work offline; tests/Caldera.Infra.Tests compiles and checks this file.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; part of every resource name.')
param environmentName string

@minLength(1)
@description('Azure region of all resources. It must offer the Flex Consumption plan.')
@metadata({ azd: { type: 'location' } })
param location string

@description('Memory of each instance in MB. 512 is the cheapest; 2048 is the platform default.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Upper bound of instances the app scales out to (a cost ceiling).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Instances kept warm for HTTP (0 = pay only per use, with cold starts; 1 = billed as a baseline even when idle).')
@minValue(0)
param alwaysReadyInstances int = 0

@description('Prefix of the tables and the blob container the app creates at start-up (Caldera:StoragePrefix).')
param storagePrefix string = 'caldera'

@description('Days raw invitation emails (iMIP claim-check blobs) are kept before the storage lifecycle deletes them.')
@minValue(1)
param imipRetentionDays int = 90

@description('SMTP relay for outbound invitation emails (Caldera:Smtp:Host), e.g. smtp.azurecomm.net; empty keeps them queued with status held.')
param smtpHost string = ''

@description('SMTP port (Caldera:Smtp:Port).')
@minValue(1)
@maxValue(65535)
param smtpPort int = 587

@description('How the SMTP connection is secured (Caldera:Smtp:Security).')
@allowed(['StartTls', 'SslOnConnect', 'Auto', 'None'])
param smtpSecurity string = 'StartTls'

@description('SMTP user name (Caldera:Smtp:UserName); empty: no authentication. The password is never a parameter: it is the Key Vault secret smtp-password.')
param smtpUserName string = ''

@description('System sender address (Caldera:Smtp:From), e.g. "Caldera <caldera@example.org>": envelope sender, and the From for users whose domain the relay may not send as.')
param smtpFrom string = ''

@description('Comma-separated domains the relay may send as (Caldera:Smtp:SenderDomains); empty: the system sender\'s domain.')
param smtpSenderDomains string = ''

var tags = { 'azd-env-name': environmentName }

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module resources 'resources.bicep' = {
  name: 'caldera-resources'
  scope: rg
  params: {
    environmentName: environmentName
    location: location
    tags: tags
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReadyInstances: alwaysReadyInstances
    storagePrefix: storagePrefix
    imipRetentionDays: imipRetentionDays
    smtpHost: smtpHost
    smtpPort: smtpPort
    smtpSecurity: smtpSecurity
    smtpUserName: smtpUserName
    smtpFrom: smtpFrom
    smtpSenderDomains: smtpSenderDomains
  }
}

// azd writes every output into .azure/<env>/.env; deployment itself finds the app by its azd-service-name tag.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = resources.outputs.functionAppName
output SERVICE_API_NAME string = resources.outputs.functionAppName
output SERVICE_API_URI string = resources.outputs.functionAppUri
output AZURE_STORAGE_ACCOUNT_NAME string = resources.outputs.storageAccountName
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = resources.outputs.identityClientId
// Where to put the SMTP password (az keyvault secret set --vault-name … --name smtp-password); a name, not a secret.
output AZURE_KEY_VAULT_NAME string = resources.outputs.keyVaultName
