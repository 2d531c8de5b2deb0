/**
 * The facts both the library (infra/) and the policy pack (policies/) enforce, stated once. This folder
 * imports nothing outside itself, so either side can ship it.
 */
export * from "./apim";
export * from "./armResourceId";
export * from "./identifiers";
export * from "./naming";
export * from "./roles";
export * from "./secrets";
export * from "./tls";
export * from "./privateLink";
