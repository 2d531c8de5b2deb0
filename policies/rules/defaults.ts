/**
 * What Azure applies when a property a rule reads is left unset, for the API version azure-native 3.28 uses
 * for that type. Data only: `effective()` in util.ts reads it, so a rule judges the value Azure will apply,
 * not whether the program spelled it out (strict mode keeps "must be explicit" as an advisory finding).
 *
 * Sources: the azure-rest-api-specs swagger of that API version (path and JSON pointer below; the wording
 * quoted is the spec's own, which azure-native also copies into its doc comments and, where the spec has a
 * `default`, into its `...ArgsProvideDefaults` helpers), or Microsoft Learn where the behaviour is the
 * service's and the spec is silent. A property with no entry has no documented default: unset stays a
 * violation wherever the secure value must be explicit.
 */

export interface ServiceDefault {
  /** The value Azure applies when the property is absent. */
  readonly value: boolean | string | number;
  /** The REST API version azure-native 3.28 calls for this type. */
  readonly apiVersion: string;
  /** Where the default is documented. */
  readonly source: string;
}

const SPECS = "azure-rest-api-specs specification/";
const ACR = `${SPECS}containerregistry/resource-manager/Microsoft.ContainerRegistry/preview/2023-01-01-preview/containerregistry.json`;
const KV = `${SPECS}keyvault/resource-manager/Microsoft.KeyVault/stable/2024-11-01/keyvault.json`;
const STORAGE = `${SPECS}storage/resource-manager/Microsoft.Storage/stable/2024-01-01`;
const APIM = `${SPECS}apimanagement/resource-manager/Microsoft.ApiManagement/stable/2024-05-01`;
const APP = `${SPECS}app/resource-manager/Microsoft.App/preview/2025-02-02-preview`;
const WEB = `${SPECS}web/resource-manager/Microsoft.Web/stable/2025-05-01/CommonDefinitions.json`;

/** APIM's gateway and backend protocol switches: `False` for every service created after 2018-04-01. */
const APIM_PROTOCOL_DEFAULT: ServiceDefault = {
  value: "False",
  apiVersion: "2024-05-01",
  source: `${APIM}/apimdeployment.json#/definitions/ApiManagementServiceBaseProperties/properties/customProperties: "For all the settings except Http2 the default value is True if the service was created on or before April 1, 2018 and False otherwise." (services older than that are judged by createdAtUtc)`,
};

/** Type token -> input path -> default. Paths are the azure-native input paths the rules read. */
export const SERVICE_DEFAULTS: Readonly<Record<string, Readonly<Record<string, ServiceDefault>>>> = {
  "azure-native:containerregistry:Registry": {
    adminUserEnabled: {
      value: false,
      apiVersion: "2023-01-01-preview",
      source: `${ACR}#/definitions/RegistryProperties/properties/adminUserEnabled ("default": false)`,
    },
    anonymousPullEnabled: {
      value: false,
      apiVersion: "2023-01-01-preview",
      source: `${ACR}#/definitions/RegistryProperties/properties/anonymousPullEnabled ("default": false)`,
    },
    publicNetworkAccess: {
      value: "Enabled",
      apiVersion: "2023-01-01-preview",
      source: `${ACR}#/definitions/RegistryProperties/properties/publicNetworkAccess ("default": "Enabled")`,
    },
    "networkRuleSet.defaultAction": {
      value: "Allow",
      apiVersion: "2023-01-01-preview",
      source: `${ACR}#/definitions/NetworkRuleSet/properties/defaultAction ("default": "Allow")`,
    },
    "policies.quarantinePolicy.status": {
      value: "disabled",
      apiVersion: "2023-01-01-preview",
      source: `${ACR}#/definitions/QuarantinePolicy/properties/status ("default": "disabled")`,
    },
    "policies.exportPolicy.status": {
      value: "enabled",
      apiVersion: "2023-01-01-preview",
      source: `${ACR}#/definitions/ExportPolicy/properties/status ("default": "enabled")`,
    },
  },
  "azure-native:keyvault:Vault": {
    "properties.enableSoftDelete": {
      value: true,
      apiVersion: "2024-11-01",
      source: `${KV}#/definitions/VaultProperties/properties/enableSoftDelete ("default": true; "If it's not set to any value(true or false) when creating new key vault, it will be set to true by default.")`,
    },
    "properties.softDeleteRetentionInDays": {
      value: 90,
      apiVersion: "2024-11-01",
      source: `${KV}#/definitions/VaultProperties/properties/softDeleteRetentionInDays ("default": 90)`,
    },
    "properties.enableRbacAuthorization": {
      value: false,
      apiVersion: "2024-11-01",
      source: `${KV}#/definitions/VaultProperties/properties/enableRbacAuthorization ("If null or not specified, the vault is created with the default value of false.")`,
    },
    "properties.publicNetworkAccess": {
      value: "enabled",
      apiVersion: "2024-11-01",
      source: `${KV}#/definitions/VaultProperties/properties/publicNetworkAccess ("default": "enabled")`,
    },
  },
  "azure-native:storage:StorageAccount": {
    enableHttpsTrafficOnly: {
      value: true,
      apiVersion: "2024-01-01",
      source: `${STORAGE}/storage.json#/definitions/StorageAccountPropertiesCreateParameters/properties/supportsHttpsTrafficOnly ("The default value is true since API version 2019-04-01.")`,
    },
    allowBlobPublicAccess: {
      value: false,
      apiVersion: "2024-01-01",
      source: `${STORAGE}/storage.json#/definitions/StorageAccountPropertiesCreateParameters/properties/allowBlobPublicAccess ("The default interpretation is false for this property.")`,
    },
    minimumTlsVersion: {
      value: "TLS1_0",
      apiVersion: "2024-01-01",
      source: `${STORAGE}/storage.json#/definitions/StorageAccountPropertiesCreateParameters/properties/minimumTlsVersion ("The default interpretation is TLS 1.0 for this property.")`,
    },
    allowSharedKeyAccess: {
      value: true,
      apiVersion: "2024-01-01",
      source: `${STORAGE}/storage.json#/definitions/StorageAccountPropertiesCreateParameters/properties/allowSharedKeyAccess ("The default value is null, which is equivalent to true.")`,
    },
    publicNetworkAccess: {
      value: "Enabled",
      apiVersion: "2024-01-01",
      source: `${STORAGE}/storage.json#/definitions/StorageAccountPropertiesCreateParameters/properties/publicNetworkAccess (optional; absent means the account's networkAcls decide, i.e. enabled)`,
    },
    "networkRuleSet.defaultAction": {
      value: "Allow",
      apiVersion: "2024-01-01",
      source: `${STORAGE}/storage.json#/definitions/NetworkRuleSet/properties/defaultAction ("default": "Allow")`,
    },
    "networkRuleSet.bypass": {
      value: "AzureServices",
      apiVersion: "2024-01-01",
      source: `${STORAGE}/storage.json#/definitions/NetworkRuleSet/properties/bypass ("default": "AzureServices")`,
    },
  },
  "azure-native:storage:BlobContainer": {
    publicAccess: {
      value: "None",
      apiVersion: "2024-01-01",
      source: `${STORAGE}/blob.json#/definitions/ContainerProperties/properties/publicAccess (absent: no anonymous access; Learn "Configure anonymous read access for containers and blobs": "By default, anonymous access to your blob data is always prohibited.")`,
    },
  },
  "azure-native:apimanagement:ApiManagementService": {
    ...Object.fromEntries(
      ["Protocols.Tls10", "Protocols.Tls11", "Protocols.Ssl30", "Backend.Protocols.Tls10", "Backend.Protocols.Tls11", "Backend.Protocols.Ssl30"].map((k) => [
        `customProperties.Microsoft.WindowsAzure.ApiManagement.Gateway.Security.${k}`,
        APIM_PROTOCOL_DEFAULT,
      ]),
    ),
    publicNetworkAccess: {
      value: "Enabled",
      apiVersion: "2024-05-01",
      source: `${APIM}/apimdeployment.json#/definitions/ApiManagementServiceBaseProperties/properties/publicNetworkAccess ("Default value is 'Enabled'")`,
    },
    virtualNetworkType: {
      value: "None",
      apiVersion: "2024-05-01",
      source: `${APIM}/apimdeployment.json#/definitions/ApiManagementServiceBaseProperties/properties/virtualNetworkType ("default": "None")`,
    },
    developerPortalStatus: {
      value: "Enabled",
      apiVersion: "2024-05-01",
      source: `${APIM}/apimdeployment.json#/definitions/ApiManagementServiceBaseProperties/properties/developerPortalStatus ("default": "Enabled")`,
    },
    legacyPortalStatus: {
      value: "Enabled",
      apiVersion: "2024-05-01",
      source: `${APIM}/apimdeployment.json#/definitions/ApiManagementServiceBaseProperties/properties/legacyPortalStatus ("default": "Enabled")`,
    },
    enableClientCertificate: {
      value: false,
      apiVersion: "2024-05-01",
      source: `${APIM}/apimdeployment.json#/definitions/ApiManagementServiceBaseProperties/properties/enableClientCertificate ("default": false)`,
    },
  },
  "azure-native:apimanagement:Backend": {
    "tls.validateCertificateChain": {
      value: true,
      apiVersion: "2024-05-01",
      source: `${APIM}/definitions.json#/definitions/BackendTlsProperties/properties/validateCertificateChain ("default": true)`,
    },
    "tls.validateCertificateName": {
      value: true,
      apiVersion: "2024-05-01",
      source: `${APIM}/definitions.json#/definitions/BackendTlsProperties/properties/validateCertificateName ("default": true)`,
    },
  },
  "azure-native:apimanagement:Product": {
    subscriptionRequired: {
      value: true,
      apiVersion: "2024-05-01",
      source: `${APIM}/definitions.json#/definitions/ProductEntityBaseParameters/properties/subscriptionRequired ("If property is omitted when creating a new product it's value is assumed to be true.")`,
    },
    approvalRequired: {
      value: false,
      apiVersion: "2024-05-01",
      source: `${APIM}/definitions.json#/definitions/ProductEntityBaseParameters/properties/approvalRequired ("If false, new subscriptions will be approved automatically"; absent is false)`,
    },
    state: {
      value: "notPublished",
      apiVersion: "2024-05-01",
      source: `${APIM}/definitions.json#/definitions/ProductEntityBaseParameters/properties/state ("Default state of Product is notPublished.")`,
    },
  },
  "azure-native:apimanagement:NamedValue": {
    secret: {
      value: false,
      apiVersion: "2024-05-01",
      source: `${APIM}/definitions.json#/definitions/NamedValueEntityBaseParameters/properties/secret ("Default value is false.")`,
    },
  },
  "azure-native:app:ContainerApp": {
    "configuration.ingress.allowInsecure": {
      value: false,
      apiVersion: "2025-02-02-preview",
      source: `${APP}/CommonDefinitions.json#/definitions/Ingress/properties/allowInsecure ("default": false)`,
    },
    "configuration.ingress.external": {
      value: false,
      apiVersion: "2025-02-02-preview",
      source: `${APP}/CommonDefinitions.json#/definitions/Ingress/properties/external ("default": false)`,
    },
  },
  "azure-native:app:ManagedEnvironment": {
    "peerTrafficConfiguration.encryption.enabled": {
      value: false,
      apiVersion: "2025-02-02-preview",
      source: `${APP}/ManagedEnvironments.json#/definitions/ManagedEnvironment/properties/properties/properties/peerTrafficConfiguration (encryption is off unless enabled)`,
    },
  },
  ...Object.fromEntries(
    ["azure-native:web:WebApp", "azure-native:web:WebAppSlot"].map((type) => [
      type,
      {
        httpsOnly: {
          value: false,
          apiVersion: "2025-05-01",
          source: `${WEB}#/definitions/Site/properties/properties/properties/httpsOnly (boolean with no default: absent is false)`,
        },
        "siteConfig.minTlsVersion": {
          value: "1.2",
          apiVersion: "2025-05-01",
          source: `${WEB}#/definitions/SiteConfig/properties/minTlsVersion; Learn "Enforce TLS versions" (learn.microsoft.com/azure/app-service/configure-ssl-bindings#enforce-tls-versions): new apps default to TLS 1.2`,
        },
        "siteConfig.scmMinTlsVersion": {
          value: "1.2",
          apiVersion: "2025-05-01",
          source: `${WEB}#/definitions/SiteConfig/properties/scmMinTlsVersion; Learn "Enforce TLS versions": the SCM site defaults to TLS 1.2 as well`,
        },
        "siteConfig.remoteDebuggingEnabled": {
          value: false,
          apiVersion: "2025-05-01",
          source: `${WEB}#/definitions/SiteConfig/properties/remoteDebuggingEnabled ("true if remote debugging is enabled; otherwise, false."; off unless turned on, Learn "Configure an App Service app": Debugging)`,
        },
        "siteConfig.http20Enabled": {
          value: true,
          apiVersion: "2025-05-01",
          source: `${WEB}#/definitions/SiteConfig/properties/http20Enabled ("default": true)`,
        },
        clientCertEnabled: {
          value: false,
          apiVersion: "2025-05-01",
          source: `${WEB}#/definitions/Site/properties/properties/properties/clientCertEnabled (boolean with no default: absent is false)`,
        },
        publicNetworkAccess: {
          value: "Enabled",
          apiVersion: "2025-05-01",
          source: `${WEB}#/definitions/Site/properties/properties/properties/publicNetworkAccess (absent: enabled unless access restrictions or private endpoints say otherwise)`,
        },
      },
    ]),
  ),
  "azure-native:web:WebAppFtpAllowed": {
    allow: { value: true, apiVersion: "2025-05-01", source: `${WEB}#/definitions/CsmPublishingCredentialsPoliciesEntity (basic publishing credentials are allowed unless disabled)` },
  },
  "azure-native:web:WebAppScmAllowed": {
    allow: { value: true, apiVersion: "2025-05-01", source: `${WEB}#/definitions/CsmPublishingCredentialsPoliciesEntity (basic publishing credentials are allowed unless disabled)` },
  },
};
