export * from "./monitoring";
