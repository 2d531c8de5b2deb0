export * from "./settings";
export * from "./methods";
export * from "./namedValues";
export * from "./xml";
export * from "./fragment";
export * from "./expressions";
export * from "./fragments";
export * from "./documents";
