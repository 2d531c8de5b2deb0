export * from "./settings";
export * from "./namedValues";
export * from "./xml";
export * from "./fragment";
export * from "./documents";
