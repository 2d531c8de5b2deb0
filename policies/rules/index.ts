import { acrRules } from "./acr";
import { apimRules } from "./apim";
import { apimPolicyRules } from "./apimPolicy";
import { apimProductRules } from "./apimProducts";
import { apimMcpToolPins } from "./apimToolPins";
import { appServiceHardeningRules } from "./appserviceHardening";
import { appServiceRules } from "./appservice";
import { cognitiveRules } from "./cognitive";
import { containerAppsRules } from "./containerapps";
import { keyvaultRules } from "./keyvault";
import { monitoringRules } from "./monitoring";
import { networkRules } from "./network";
import { rbacRules } from "./rbac";
import { stackRules } from "./stack";
import { storageRules } from "./storage";
import { Rule } from "./types";

export * from "./types";

/** Every rule of the pack, in a stable order (by service). Names are unique; see the meta-tests. */
export const allRules: Rule[] = [
  ...apimRules,
  ...apimPolicyRules,
  apimMcpToolPins,
  ...apimProductRules,
  ...keyvaultRules,
  ...cognitiveRules,
  ...containerAppsRules,
  ...appServiceRules,
  ...appServiceHardeningRules,
  ...acrRules,
  ...storageRules,
  ...networkRules,
  ...monitoringRules,
  ...rbacRules,
  ...stackRules,
];

/** Rules by name. */
export const rulesByName: ReadonlyMap<string, Rule> = new Map(allRules.map((r) => [r.name, r]));
