export * from "./cidr";
export * from "./nsgRules";
export * from "./network";
export * from "./privateHostDns";
export * from "./natGateway";
