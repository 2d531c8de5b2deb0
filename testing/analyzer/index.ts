/** The engine's side of a policy pack, for tests and the bench: see README.md. */
export { preparePackFolder, type PackFolder, type PackFolderOptions, type PackInstall } from "./packFolder";
export { launchPack, locateRunPolicyPack, packEnvironment, readRuntimeOptions, type LaunchedPack, type StackConfiguration } from "./launchPack";
export { PackSession, type PackAnalysis, type PackDiagnostic, type PackNotApplicable } from "./session";
export { checkFindings, packFindings, type CheckJson, type Findings } from "./findings";
