import { APIM_API_VERSION, APIM_MIN_API_VERSION } from "../../baseline/apim";
import { looksSecretName, plainCredential } from "../../baseline/secrets";
import { FIXED_CIPHER_TIERS, hasFixedCiphers, LEGACY_PROTOCOLS, WEAK_CIPHERS } from "../../baseline/tls";

describe("secret-looking names (one rule for the components and the pack)", () => {
  it.each(["CLIENT_SECRET", "DB_PASSWORD", "GITHUB_TOKEN", "API_KEY", "SIGNING_KEY", "PRIVATE_KEY", "CONNECTION_STRING", "DB_PWD", "AZURE_CREDENTIAL", "STORAGE_SAS"])(
    "%s looks secret",
    (name) => expect(looksSecretName(name)).toBe(true),
  );
  it.each(["LOG_LEVEL", "PORT", "SASSY_MODE", "PWDX"])("%s does not", (name) => expect(looksSecretName(name)).toBe(false));

  it("a plain value under a secret name is a credential unless it obviously is not", () => {
    expect(plainCredential("SIGNING_KEY", "s3cr3t-value")).toEqual({});
    expect(plainCredential("TOKEN_URL", "https://login.microsoftonline.com/t/oauth2/v2.0/token")).toBeUndefined();
    expect(plainCredential("CLIENT_ID_KEY", "72f988bf-86f1-41af-91ab-2d7cd011db47")).toBeUndefined();
    expect(plainCredential("NOTES", "AccountKey=abcdefghijklmnopqrstuvwxyz0123")).toEqual({ pattern: "AccountKey" });
  });
});

describe("API Management TLS and versions", () => {
  it("turns off TLS 1.0, 1.1 and SSL 3.0", () => expect([...LEGACY_PROTOCOLS]).toEqual(["Tls10", "Tls11", "Ssl30"]));

  it("lists 3DES, every CBC suite and the static-RSA GCM suites as weak", () => {
    expect(WEAK_CIPHERS).toHaveLength(11);
    expect(WEAK_CIPHERS).toEqual(
      expect.arrayContaining([
        "TripleDes168",
        "TLS_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        "TLS_RSA_WITH_AES_128_CBC_SHA",
      ]),
    );
    expect(WEAK_CIPHERS).not.toContain("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  });

  it("knows the tiers with fixed ciphers", () => {
    expect([...FIXED_CIPHER_TIERS]).toEqual(["Consumption", "BasicV2", "StandardV2", "PremiumV2"]);
    expect(hasFixedCiphers("standardv2")).toBe(true);
    expect(hasFixedCiphers("Premium")).toBe(false);
  });

  it("pins the API versions", () => {
    expect(APIM_API_VERSION).toBe("2024-05-01");
    expect(APIM_MIN_API_VERSION).toBe("2021-08-01");
  });
});

describe("scope levels", () => {
  it("one parser for the kit's single-resource check and the pack's broad-scope rules", async () => {
    const { scopeLevel } = await import("../../baseline/roles");
    expect(scopeLevel("/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv")).toBe("resource");
    expect(scopeLevel("/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/a/blobServices")).toBe("other");
    expect(scopeLevel("/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/a/blobServices/default/containers/c")).toBe("resource");
    expect(scopeLevel("/subscriptions/s/providers/Microsoft.Foo/bars/b")).toBe("other");
    expect(scopeLevel("/subscriptions/s/resourceGroups/g/")).toBe("resourceGroup");
    expect(scopeLevel("/subscriptions/s")).toBe("subscription");
    expect(scopeLevel("/providers/Microsoft.Management/managementGroups/mg")).toBe("managementGroup");
    expect(scopeLevel("/")).toBe("root");
  });
});
