/** The request-side controls, one fragment builder each, in pipeline order (see documents.ts). */
export * from "./requestShape";
export * from "./token";
export * from "./jsonRpc";
export * from "./authorize";
export * from "./identity";
export * from "./jsonRpcParse";
export * from "./headers";
