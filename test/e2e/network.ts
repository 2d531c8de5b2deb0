/**
 * The tests' "network": a fetch that sends `https://<host>/...` to the local server standing in for that
 * host (as a resolver plus TLS termination would), so clients use the real public URLs (the gateway's
 * `https://mcp.contoso.com/...`, Entra's `https://login.microsoftonline.com/...`) and every URL the servers
 * publish (PRM `resource`, metadata endpoints, token issuer) stays exactly what production publishes.
 * An unknown host fails like a DNS error; nothing leaves 127.0.0.1.
 */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export function hostsFetch(hosts: Record<string, string>, log?: string[]): Fetch {
  return async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : input.toString());
    const target = hosts[url.host];
    if (url.protocol !== "https:" || target === undefined) throw new TypeError(`fetch failed: ${url.protocol}//${url.host} is not reachable from the test network`);
    log?.push(`${init?.method ?? request?.method ?? "GET"} ${url.toString()}`);
    const local = new URL(`${url.pathname}${url.search}`, target);
    return fetch(request ? new Request(local, request) : local, init);
  };
}
