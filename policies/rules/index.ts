import { acrRules } from "./acr";
import { cognitiveRules } from "./cognitive";
import { keyvaultRules } from "./keyvault";
import { monitoringRules } from "./monitoring";
import { storageRules } from "./storage";
import { Rule } from "./types";

export * from "./types";

/** Every rule of the pack, in a stable order (by service). Names are unique; see the meta-tests. */
export const allRules: Rule[] = [...keyvaultRules, ...cognitiveRules, ...acrRules, ...storageRules, ...monitoringRules];
