import { expiryFrom, parseSeeds } from "../../scripts/seed-secrets";

describe("seed-secrets argument parsing", () => {
  it("maps secret names to environment variables", () => {
    expect(parseSeeds(["weather-api-key=WEATHER_KEY"])).toEqual([{ name: "weather-api-key", fromEnv: "WEATHER_KEY" }]);
  });

  it.each(["no-equals", "bad_name=X", "name=1BAD", "=X"])("refuses %s", (pair) => {
    expect(() => parseSeeds([pair])).toThrow(/is not NAME=ENV_VAR/);
  });

  it("bounds the expiry", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    expect(expiryFrom(now, 90).toISOString()).toBe("2026-04-01T00:00:00.000Z");
    expect(() => expiryFrom(now, 0)).toThrow(/out of range/);
    expect(() => expiryFrom(now, 1000)).toThrow(/out of range/);
  });
});
