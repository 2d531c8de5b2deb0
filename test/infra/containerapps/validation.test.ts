import {
  containerAppSecretName,
  validateBackendAuth,
  validateContainerAppName,
  validateGatewayCidr,
  validateImageReference,
  validateKeyVaultSecretUrl,
  validateResources,
  validateScale,
  validateServerEnvironment,
} from "../../../infra/containerapps/validation";
import { fieldName, SettingError } from "../../../infra/shared/settingError";

const DIGEST = `sha256:${"ab12".repeat(16)}`;
const GUID_A = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
const GUID_B = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";

describe("validateImageReference", () => {
  it("accepts a digest-pinned image, with or without a tag before the digest", () => {
    expect(validateImageReference(`myacr.azurecr.io/mcp/github@${DIGEST}`)).toEqual({
      registry: "myacr.azurecr.io",
      repository: "mcp/github",
      digest: DIGEST,
    });
    expect(validateImageReference(`myacr.azurecr.io/mcp/github:1.4.2@${DIGEST}`)).toMatchObject({ tag: "1.4.2", digest: DIGEST });
    expect(validateImageReference(`localhost:5000/mcp@${DIGEST}`).registry).toBe("localhost:5000");
  });

  it("refuses a tag-only image, naming the setting, the problem and how to get the digest", () => {
    const call = () => validateImageReference("myacr.azurecr.io/mcp/github:1.4.2", { field: ["servers", 0, "image"] });
    expect(call).toThrow(/^servers\[0\]\.image: "myacr\.azurecr\.io\/mcp\/github:1\.4\.2" is not pinned by digest/);
    expect(call).toThrow(/docker buildx imagetools inspect myacr\.azurecr\.io\/mcp\/github:1\.4\.2/);
    expect(call).toThrow(/az acr repository show --name myacr --image mcp\/github:1\.4\.2/);
    expect(call).toThrow(/servers\[0\]\.allowTagOnlyImages: true/);
  });

  it("names the opt-out next to the setting it was given", () => {
    expect(() => validateImageReference("mcr.microsoft.com/mcp/server:1")).toThrow(/set allowTagOnlyImages: true/);
  });

  it("refuses latest and an untagged image (implicit latest)", () => {
    expect(() => validateImageReference("mcr.microsoft.com/mcp/server:latest")).toThrow(/not pinned by digest/);
    expect(() => validateImageReference("mcr.microsoft.com/mcp/server")).toThrow(/no tag means latest/);
  });

  it("accepts a tag-only image only with the named opt-out", () => {
    expect(validateImageReference("myacr.azurecr.io/mcp/github:1.4.2", { allowTagOnlyImages: true })).toMatchObject({ tag: "1.4.2" });
    expect(validateImageReference("myacr.azurecr.io/mcp/github:latest", { allowTagOnlyImages: true }).digest).toBeUndefined();
  });

  it("refuses malformed digests and images without an explicit registry", () => {
    expect(() => validateImageReference("myacr.azurecr.io/mcp@sha256:abc")).toThrow(/malformed digest/);
    expect(() => validateImageReference(`myacr.azurecr.io/mcp@sha256:${"AB12".repeat(16)}`)).toThrow(/malformed digest/);
    expect(() => validateImageReference(`library/nginx@${DIGEST}`)).toThrow(/does not name its registry/);
    expect(() => validateImageReference(`nginx@${DIGEST}`)).toThrow(/does not name its registry/);
    expect(() => validateImageReference(`myacr.azurecr.io/MCP@${DIGEST}`)).toThrow(/invalid repository/);
  });
});

/** The fields and problems a check reports (its SettingError), or [] when it passes. */
function problemsOf(check: () => unknown): { field: string; problem: string; fix: string }[] {
  try {
    check();
    return [];
  } catch (err) {
    if (!(err instanceof SettingError)) throw err;
    return err.problems.map((p) => ({ field: fieldName(p.field), problem: p.problem, fix: p.fix }));
  }
}

describe("validateServerEnvironment", () => {
  it("refuses a plain value under a credential-like name and says where it belongs, in the caller's vocabulary", () => {
    for (const name of ["GITHUB_TOKEN", "API_KEY", "DB_PASSWORD", "CLIENT_SECRET", "SQL_CONNECTION_STRING", "passwd"]) {
      const [p] = problemsOf(() => validateServerEnvironment({ [name]: "x" }, []));
      expect(p.field).toBe(`env.${name}`);
      expect(p.problem).toMatch(/looks like a credential/);
      expect(p.fix).toMatch(new RegExp(`Move it to secrets\\.${name} .*list it in allowPlainEnvNames`));
    }
    // Under the config layer's prefix, the fix names the stack setting.
    const [p] = problemsOf(() => validateServerEnvironment({ API_KEY: "x" }, [], [], ["servers", 1]));
    expect(p.field).toBe("servers[1].env.API_KEY");
    expect(p.fix).toMatch(/Move it to servers\[1\]\.secrets\.API_KEY .*servers\[1\]\.allowPlainEnvNames/);
  });

  it("accepts credential-like names as Key Vault secrets, and plain names as plain values", () => {
    expect(problemsOf(() => validateServerEnvironment({ LOG_LEVEL: "info" }, ["GITHUB_TOKEN"]))).toEqual([]);
  });

  it("accepts a credential-like plain name only when listed in allowPlainEnvNames", () => {
    expect(problemsOf(() => validateServerEnvironment({ TOKEN_ENDPOINT_URL: "https://x" }, [], ["TOKEN_ENDPOINT_URL"]))).toEqual([]);
    expect(problemsOf(() => validateServerEnvironment({}, [], ["TOKEN_ENDPOINT_URL"]))).toEqual([
      { field: "allowPlainEnvNames[0]", problem: 'names "TOKEN_ENDPOINT_URL", which is not in env', fix: "Remove it" },
    ]);
  });

  it("refuses a name in both env and secrets, invalid names and colliding secret names", () => {
    expect(problemsOf(() => validateServerEnvironment({ A: "1" }, ["A"]))[0]).toMatchObject({ field: "env.A", problem: "is set both in env and in secrets" });
    expect(problemsOf(() => validateServerEnvironment({ "1A": "1" }, []))[0]).toMatchObject({ field: "env.1A", problem: "is not a valid environment variable name" });
    expect(problemsOf(() => validateServerEnvironment({}, ["API__TOKEN", "api_token"]))[0]).toMatchObject({
      field: "secrets.api_token",
      problem: 'maps to the same Container Apps secret "api-token" as "API__TOKEN"',
    });
  });

  it("derives Container Apps secret names from variable names", () => {
    expect(containerAppSecretName("GITHUB_TOKEN")).toBe("github-token");
  });
});

describe("validateKeyVaultSecretUrl", () => {
  const field = ["secrets", "GITHUB_TOKEN", "keyVaultSecretUrl"];
  it("accepts versionless and versioned secret URLs and refuses anything else", () => {
    expect(() => validateKeyVaultSecretUrl(field, "https://kv-mcp.vault.azure.net/secrets/github-token")).not.toThrow();
    expect(() => validateKeyVaultSecretUrl(field, `https://kv-mcp.vault.azure.net/secrets/github-token/${"0".repeat(32)}`)).not.toThrow();
    expect(() => validateKeyVaultSecretUrl(field, "http://kv-mcp.vault.azure.net/secrets/a")).toThrow(
      /^secrets\.GITHUB_TOKEN\.keyVaultSecretUrl: "http:\/\/kv-mcp\.vault\.azure\.net\/secrets\/a" is not a Key Vault secret URL/,
    );
    expect(() => validateKeyVaultSecretUrl(field, "https://evil.example.com/secrets/a")).toThrow(/not a Key Vault secret URL/);
  });
});

describe("compute, scale, naming and ingress checks", () => {
  it("accepts Consumption sizes and refuses other pairs with the list of valid ones", () => {
    expect(validateResources(0.25, "0.5Gi")).toBe("0.5Gi");
    expect(validateResources(2, "4.0Gi")).toBe("4Gi");
    expect(() => validateResources(0.5, "2Gi")).toThrow(/^memory: cpu\/memory 0.5\/2Gi is not a Consumption profile size.*0.5\/1Gi/);
    expect(() => validateResources(4.25, "8.5Gi")).toThrow(/not a Consumption profile size/);
    expect(() => validateResources(1, "2048Mi")).toThrow(/not a Consumption profile size/);
  });

  it("checks replica bounds", () => {
    expect(() => validateScale(0, 1)).not.toThrow();
    expect(() => validateScale(3, 2)).toThrow(/^maxReplicas: minReplicas \(3\) is above maxReplicas \(2\)/);
    expect(() => validateScale(1, 301)).toThrow(/^maxReplicas: 301 is above 300/);
    expect(() => validateScale(0, 0)).toThrow(/^maxReplicas: 0 is not a whole number of replicas of at least 1/);
    expect(() => validateScale(-1, 1)).toThrow(/^minReplicas: -1 is not a whole number/);
  });

  it("checks container app names", () => {
    expect(() => validateContainerAppName("mcp-github")).not.toThrow();
    for (const bad of ["Mcp", "mcp--x", "-mcp", "m", "x".repeat(33), "mcp-"]) {
      expect(() => validateContainerAppName(bad)).toThrow(/^appName: .* is not a valid container app name/);
    }
  });

  it("accepts only narrow IPv4 network prefixes for the gateway subnet", () => {
    expect(() => validateGatewayCidr("10.0.1.0/27")).not.toThrow();
    expect(() => validateGatewayCidr("0.0.0.0/0", ["gatewaySubnetCidrs", 0])).toThrow(/^gatewaySubnetCidrs\[0\]: "0\.0\.0\.0\/0" is wider than \/16/);
    expect(() => validateGatewayCidr("10.0.0.0/8")).toThrow(/wider than \/16/);
    expect(() => validateGatewayCidr("10.0.1.5/27")).toThrow(/Did you mean 10\.0\.1\.0\/27/);
    expect(() => validateGatewayCidr("fd00::/64")).toThrow(/IPv6/);
    expect(() => validateGatewayCidr("gateway")).toThrow(/not a CIDR range/);
  });
});

describe("validateBackendAuth", () => {
  const auth = {
    tenantId: GUID_A,
    clientId: GUID_B,
    audience: "api://mcp-github",
    allowedCallerClientIds: [GUID_A],
    allowedCallerPrincipalIds: [GUID_B],
  };

  it("requires backend auth unless the named opt-out is set", () => {
    expect(() => validateBackendAuth(undefined, undefined)).toThrow(/^backendAuth: is missing.*opt out explicitly with allowUnauthenticatedBackend: true/);
    expect(() => validateBackendAuth(undefined, true)).not.toThrow();
    expect(() => validateBackendAuth(auth, undefined)).not.toThrow();
    expect(() => validateBackendAuth(auth, true)).toThrow(/^allowUnauthenticatedBackend: is true although backendAuth is set/);
  });

  it("refuses non-GUID ids and empty caller lists", () => {
    expect(() => validateBackendAuth({ ...auth, tenantId: "contoso.onmicrosoft.com" }, undefined)).toThrow(
      /^backendAuth\.tenantId: "contoso\.onmicrosoft\.com" is not a GUID/,
    );
    expect(() => validateBackendAuth({ ...auth, allowedCallerClientIds: [] }, undefined)).toThrow(/^backendAuth\.allowedCallerClientIds: is empty/);
    expect(() => validateBackendAuth({ ...auth, allowedCallerPrincipalIds: ["x"] }, undefined)).toThrow(/^backendAuth\.allowedCallerPrincipalIds\[0\]: "x" is not a GUID/);
    expect(() => validateBackendAuth({ ...auth, audience: " " }, undefined)).toThrow(/^backendAuth\.audience: is empty/);
  });
});
