export * from "./grants";
export * from "./workloadIdentity";
