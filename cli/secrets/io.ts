/** What the `secrets` verbs touch outside themselves, passed in so tests can supply fakes. */
import { ConnectVault, connectWithDefaultCredential } from "./store";

export interface SecretsIo {
  readonly env: NodeJS.ProcessEnv;
  readonly readStdin: () => Promise<string>;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly connect: ConnectVault;
  readonly now: () => Date;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

export const processIo: SecretsIo = {
  env: process.env,
  readStdin: () => readAll(process.stdin),
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  connect: connectWithDefaultCredential,
  now: () => new Date(),
};
