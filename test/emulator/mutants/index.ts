/** Every mutation the attack matrix must kill (see mutation.ts), grouped by concern. */
import { accessMutations } from "./access";
import { hygieneMutations } from "./hygiene";
import { messageMutations } from "./messages";
import type { Mutation } from "./mutation";
import { transportMutations } from "./transport";

export { applyMutation, type Mutation } from "./mutation";

export const mutations: Mutation[] = [...accessMutations, ...messageMutations, ...hygieneMutations, ...transportMutations];
