import { readFileSync } from "node:fs";
import * as path from "node:path";
import { OPERATOR_QUERIES } from "../../../infra/monitoring/queries";
import { ALERT_RULES } from "../../../infra/monitoring/alerts";

const doc = readFileSync(path.join(__dirname, "../../../docs/operations.md"), "utf8");

/** Each `<!-- query: name -->` marker and the ```kql block right after it. */
function documentedQueries(): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of doc.matchAll(/<!-- query: (\w+) -->\n```kql\n([\s\S]*?)\n```/g)) found.set(m[1], m[2]);
  return found;
}

describe("docs/operations.md", () => {
  it("shows every operator query exactly as the module defines it, and no other", () => {
    const documented = documentedQueries();
    expect([...documented.keys()].sort()).toEqual(Object.keys(OPERATOR_QUERIES).sort());
    for (const [name, query] of Object.entries(OPERATOR_QUERIES)) expect({ name, kql: documented.get(name) }).toEqual({ name, kql: query.kql });
  });

  it("has a row for every alert rule, with its query and severity", () => {
    for (const [key, rule] of Object.entries(ALERT_RULES)) {
      expect(doc).toContain(`| \`${key}\` | \`${rule.query}\` | ${rule.severity} |`);
    }
  });
});
