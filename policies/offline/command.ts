/** Placeholder until the offline check lands (issue 4). */
export async function runCheckCommand(_argv: string[]): Promise<number> {
  console.error("hardened-mcp check: not implemented yet");
  return 2;
}
