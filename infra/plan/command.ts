/** Placeholder until the offline plan lands (issue 2). */
export async function runPlanCommand(_argv: string[]): Promise<number> {
  console.error("hardened-mcp plan: not implemented yet");
  return 2;
}
