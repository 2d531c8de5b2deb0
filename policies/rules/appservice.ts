import { finding, Rule } from "./types";
import { describeEffective, effective, eqi, get, hasManagedIdentity, noteImplicit, requireValue, resourceRule, shown, tlsAtLeast } from "./util";

/** Web apps and Function apps (kind "functionapp") and their deployment slots. */
const SITE = ["azure-native:web:WebApp", "azure-native:web:WebAppSlot"];

export const appServiceHttpsOnly = resourceRule({
  name: "azure-appservice-https-only",
  description: "App Service and Function apps must redirect HTTP to HTTPS.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["transport-security", "session-hijacking"],
  remediation: "Set httpsOnly to true.",
  checkov: ["CKV_AZURE_14", "CKV_AZURE_70"],
  azurePolicy: [
    { name: "App Service apps should only be accessible over HTTPS", id: "a4af4a39-4135-47fb-b175-47fbdf85311d" },
  ],
  types: SITE,
  validate: requireValue("httpsOnly", true),
});


export const appServiceMinTls12 = resourceRule({
  name: "azure-appservice-min-tls12",
  description: "App Service and Function apps must require TLS 1.2 or later, on the site and on the SCM (Kudu) endpoint.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["transport-security"],
  remediation: 'Set siteConfig.minTlsVersion (and siteConfig.scmMinTlsVersion) to "1.2".',
  checkov: ["CKV_AZURE_15", "CKV_AZURE_145"],
  azurePolicy: [
    { name: "App Service apps should use the latest TLS version", id: "f0e6e85b-9b9f-4a4b-b67b-f730d42f1b0b" },
  ],
  types: SITE,
  validate: (props, args, report) => {
    for (const [qualifier, path] of [
      ["Site", "siteConfig.minTlsVersion"],
      ["Scm", "siteConfig.scmMinTlsVersion"],
    ] as const) {
      const e = effective(props, args.type, path);
      if (!tlsAtLeast(e.value, 1, 2)) report(finding(qualifier, `${describeEffective(path, e)}; it must be "1.2" or later.`));
      else noteImplicit(args, report, path, e);
    }
  },
});

export const appServiceFtpsDisabled = resourceRule({
  name: "azure-appservice-ftps-disabled",
  description: "App Service and Function apps must not accept plain FTP deployments.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["transport-security", "supply-chain"],
  remediation: 'Set siteConfig.ftpsState to "Disabled" (or "FtpsOnly").',
  checkov: ["CKV_AZURE_78"],
  azurePolicy: [
    { name: "App Service apps should require FTPS only", id: "4d24b6d4-5e53-4a4f-a7f4-618fa573ee4b" },
  ],
  types: SITE,
  validate: (props, _args, report) => {
    const state = get(props, "siteConfig.ftpsState");
    if (!eqi(state, "Disabled") && !eqi(state, "FtpsOnly")) {
      report(`siteConfig.ftpsState is ${shown(state)}; it must be "Disabled" or "FtpsOnly" (unset, the platform allows plain FTP).`);
    }
  },
});

export const appServiceRemoteDebuggingOff = resourceRule({
  name: "azure-appservice-remote-debugging-off",
  description: "App Service and Function apps must have remote debugging turned off.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["excessive-permissions"],
  remediation: "Set siteConfig.remoteDebuggingEnabled to false.",
  checkov: ["CKV_AZURE_72"],
  azurePolicy: [
    { name: "App Service apps should have remote debugging turned off", id: "cb510bfd-1cba-4d9f-a230-cb0976f4bb71" },
  ],
  types: SITE,
  validate: requireValue("siteConfig.remoteDebuggingEnabled", false),
});

export const appServiceManagedIdentity = resourceRule({
  name: "azure-appservice-managed-identity",
  description: "App Service and Function apps must use a managed identity instead of stored credentials.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["excessive-permissions", "token-passthrough"],
  remediation: 'Set identity.type to "UserAssigned" (or "SystemAssigned").',
  checkov: ["CKV_AZURE_16", "CKV_AZURE_71"],
  azurePolicy: [
    { name: "App Service apps should use managed identity", id: "2b9ad585-36bc-4615-b300-fd4435808332" },
  ],
  types: SITE,
  validate: (props, _args, report) => {
    if (!hasManagedIdentity(props)) report(`identity.type is ${shown(get(props, "identity.type"))}; a managed identity is required.`);
  },
});

export const appServicePublicNetworkDisabled = resourceRule({
  name: "azure-appservice-public-network-disabled",
  description: "App Service and Function apps hosting MCP servers should disable public network access and be reached through the gateway privately.",
  enforcementLevel: "advisory",
  severity: "medium",
  risks: ["token-passthrough", "transport-security"],
  remediation:
    'Set publicNetworkAccess (or siteConfig.publicNetworkAccess, the same setting) to "Disabled" and add a private endpoint (group "sites"); see https://learn.microsoft.com/azure/app-service/app-service-ip-restrictions.',
  checkov: ["CKV_AZURE_222"],
  azurePolicy: [
    { name: "App Service apps should disable public network access", id: "1b5ef780-c53c-4a64-87f3-bb9c8c8094ba" },
  ],
  types: SITE,
  validate: (props, args, report) => {
    // The site's publicNetworkAccess and siteConfig.publicNetworkAccess are the same setting (Learn: "Set up
    // Azure App Service access restrictions", https://learn.microsoft.com/azure/app-service/app-service-ip-restrictions).
    const top = effective(props, args.type, "publicNetworkAccess");
    const inConfig = get(props, "siteConfig.publicNetworkAccess");
    if (eqi(inConfig, "Disabled") || eqi(top.value, "Disabled")) return;
    report(`${inConfig !== undefined ? `siteConfig.publicNetworkAccess is ${shown(inConfig)}` : describeEffective("publicNetworkAccess", top)}; it must be "Disabled".`);
  },
});

export const appServiceBasicAuthDisabled = resourceRule({
  name: "azure-appservice-basic-auth-disabled",
  description: "App Service basic-authentication publishing credentials (FTP and SCM) must be disabled.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["supply-chain", "excessive-permissions"],
  remediation: "Add web.WebAppFtpAllowed and web.WebAppScmAllowed resources with allow set to false.",
  azurePolicy: [
    { name: "App Service apps should have local authentication methods disabled for FTP deployments", id: "871b205b-57cf-4e1e-a234-492616998bf7" },
  ],
  types: ["azure-native:web:WebAppFtpAllowed", "azure-native:web:WebAppScmAllowed"],
  validate: requireValue("allow", false),
});

export const appServiceRules: Rule[] = [
  appServiceHttpsOnly,
  appServiceMinTls12,
  appServiceFtpsDisabled,
  appServiceRemoteDebuggingOff,
  appServiceManagedIdentity,
  appServicePublicNetworkDisabled,
  appServiceBasicAuthDisabled,
];
