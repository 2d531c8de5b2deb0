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

describe("validateServerEnvironment", () => {
  it("refuses a plain value under a credential-like name and says where it belongs", () => {
    for (const name of ["GITHUB_TOKEN", "API_KEY", "DB_PASSWORD", "CLIENT_SECRET", "SQL_CONNECTION_STRING", "passwd"]) {
      expect(() => validateServerEnvironment("github", { [name]: "x" }, [])).toThrow(
        new RegExp(`servers\\[github\\]\\.env\\.${name} looks like a credential.*servers\\[github\\]\\.secrets\\.${name}`),
      );
    }
  });

  it("accepts credential-like names as Key Vault secrets, and plain names as plain values", () => {
    expect(() => validateServerEnvironment("github", { LOG_LEVEL: "info" }, ["GITHUB_TOKEN"])).not.toThrow();
  });

  it("accepts a credential-like plain name only when listed in allowPlainEnvNames", () => {
    expect(() => validateServerEnvironment("s", { TOKEN_ENDPOINT_URL: "https://x" }, [], ["TOKEN_ENDPOINT_URL"])).not.toThrow();
    expect(() => validateServerEnvironment("s", {}, [], ["TOKEN_ENDPOINT_URL"])).toThrow(/not in servers\[s\]\.env/);
  });

  it("refuses a name in both env and secrets, invalid names and colliding secret names", () => {
    expect(() => validateServerEnvironment("s", { A: "1" }, ["A"])).toThrow(/both in env and in secrets/);
    expect(() => validateServerEnvironment("s", { "1A": "1" }, [])).toThrow(/name "1A" is invalid/);
    expect(() => validateServerEnvironment("s", {}, ["API__TOKEN", "api_token"])).toThrow(/same Container Apps secret "api-token"/);
  });

  it("derives Container Apps secret names from variable names", () => {
    expect(containerAppSecretName("GITHUB_TOKEN")).toBe("github-token");
  });
});

describe("validateKeyVaultSecretUrl", () => {
  it("accepts versionless and versioned secret URLs and refuses anything else", () => {
    expect(() => validateKeyVaultSecretUrl("x", "https://kv-mcp.vault.azure.net/secrets/github-token")).not.toThrow();
    expect(() => validateKeyVaultSecretUrl("x", `https://kv-mcp.vault.azure.net/secrets/github-token/${"0".repeat(32)}`)).not.toThrow();
    expect(() => validateKeyVaultSecretUrl("x", "http://kv-mcp.vault.azure.net/secrets/a")).toThrow(/not a Key Vault secret URL/);
    expect(() => validateKeyVaultSecretUrl("x", "https://evil.example.com/secrets/a")).toThrow(/not a Key Vault secret URL/);
  });
});

describe("compute, scale, naming and ingress checks", () => {
  it("accepts Consumption sizes and refuses other pairs with the list of valid ones", () => {
    expect(validateResources("s", 0.25, "0.5Gi")).toBe("0.5Gi");
    expect(validateResources("s", 2, "4.0Gi")).toBe("4Gi");
    expect(() => validateResources("s", 0.5, "2Gi")).toThrow(/servers\[s\]\.cpu\/memory 0.5\/2Gi.*0.5\/1Gi/);
    expect(() => validateResources("s", 4.25, "8.5Gi")).toThrow(/not a Consumption profile size/);
    expect(() => validateResources("s", 1, "2048Mi")).toThrow(/not a Consumption profile size/);
  });

  it("checks replica bounds", () => {
    expect(() => validateScale("s", 0, 1)).not.toThrow();
    expect(() => validateScale("s", 3, 2)).toThrow(/minReplicas \(3\) is above maxReplicas \(2\)/);
    expect(() => validateScale("s", 1, 301)).toThrow(/maxReplicas 301 is above 300/);
    expect(() => validateScale("s", 0, 0)).toThrow(/maxReplicas >= 1/);
  });

  it("checks container app names", () => {
    expect(() => validateContainerAppName("s", "mcp-github")).not.toThrow();
    for (const bad of ["Mcp", "mcp--x", "-mcp", "m", "x".repeat(33), "mcp-"]) {
      expect(() => validateContainerAppName("s", bad)).toThrow(/not a valid container app name/);
    }
  });

  it("accepts only narrow IPv4 network prefixes for the gateway subnet", () => {
    expect(() => validateGatewayCidr("s", "10.0.1.0/27")).not.toThrow();
    expect(() => validateGatewayCidr("s", "0.0.0.0/0")).toThrow(/wider than \/16/);
    expect(() => validateGatewayCidr("s", "10.0.0.0/8")).toThrow(/wider than \/16/);
    expect(() => validateGatewayCidr("s", "10.0.1.5/27")).toThrow(/Did you mean 10\.0\.1\.0\/27/);
    expect(() => validateGatewayCidr("s", "fd00::/64")).toThrow(/IPv6/);
    expect(() => validateGatewayCidr("s", "gateway")).toThrow(/not a CIDR range/);
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
    expect(() => validateBackendAuth("github", undefined, undefined)).toThrow(
      /servers\[github\]\.backendAuth is missing.*servers\[github\]\.allowUnauthenticatedBackend: true/,
    );
    expect(() => validateBackendAuth("github", undefined, true)).not.toThrow();
    expect(() => validateBackendAuth("github", auth, undefined)).not.toThrow();
    expect(() => validateBackendAuth("github", auth, true)).toThrow(/both backendAuth and allowUnauthenticatedBackend/);
  });

  it("refuses non-GUID ids and empty caller lists", () => {
    expect(() => validateBackendAuth("g", { ...auth, tenantId: "contoso.onmicrosoft.com" }, undefined)).toThrow(
      /backendAuth\.tenantId "contoso\.onmicrosoft\.com" is not a GUID/,
    );
    expect(() => validateBackendAuth("g", { ...auth, allowedCallerClientIds: [] }, undefined)).toThrow(/allowedCallerClientIds is empty/);
    expect(() => validateBackendAuth("g", { ...auth, allowedCallerPrincipalIds: [] }, undefined)).toThrow(/allowedCallerPrincipalIds is empty/);
    expect(() => validateBackendAuth("g", { ...auth, audience: " " }, undefined)).toThrow(/audience is empty/);
  });
});
