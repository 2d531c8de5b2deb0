/** Small constructors for the policy elements every fragment uses (not part of the public surface). */
import { el, type PolicyElement } from "./xml";

export function setHeader(name: string, value: string, action: "override" | "append" | "skip" = "override"): PolicyElement {
  return el("set-header", { name, "exists-action": action }, el("value", {}, value));
}

export function deleteHeader(name: string): PolicyElement {
  return el("set-header", { name, "exists-action": "delete" });
}

export function setVariable(name: string, value: string): PolicyElement {
  return el("set-variable", { name, value });
}

export function when(condition: string, ...children: PolicyElement[]): PolicyElement {
  return el("when", { condition }, ...children);
}

export function choose(...whens: PolicyElement[]): PolicyElement {
  return el("choose", {}, ...whens);
}
