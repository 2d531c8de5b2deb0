/**
 * What a command under test printed: every console.error and console.log line, captured afresh for each test
 * (the arrays are emptied, not replaced, so a file can destructure them once) and the console restored after.
 */
export function captureConsole(): { readonly errors: string[]; readonly logs: string[] } {
  const captured = { errors: [] as string[], logs: [] as string[] };
  beforeEach(() => {
    captured.errors.length = 0;
    captured.logs.length = 0;
    jest.spyOn(console, "error").mockImplementation((...args: unknown[]) => void captured.errors.push(args.join(" ")));
    jest.spyOn(console, "log").mockImplementation((...args: unknown[]) => void captured.logs.push(args.join(" ")));
  });
  afterEach(() => jest.restoreAllMocks());
  return captured;
}
