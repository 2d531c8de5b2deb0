import { rmSync } from "node:fs";
import { PLANS_ENV } from "./plans";

export default function globalTeardown(): void {
  const dir = process.env[PLANS_ENV];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
