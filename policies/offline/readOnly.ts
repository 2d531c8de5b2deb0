/**
 * Deep read-only views of parsed resource properties. The engine deserialises a resource's properties afresh for
 * every policy, so no policy can change what another sees; the offline check parses each resource once and
 * hands every rule the same view, which refuses every write instead: a rule that writes fails the check (exit 2,
 * a rule error) rather than judging later rules' input. Copies per rule and resource were most of a check's time.
 */
export class ReadOnlyViewError extends TypeError {
  constructor(what: string) {
    super(`resource properties are read-only in a policy check: a rule tried to ${what}`);
  }
}

const views = new WeakMap<object, object>();

const handler: ProxyHandler<object> = {
  get(target, key) {
    const value: unknown = Reflect.get(target, key);
    return value !== null && typeof value === "object" ? readOnlyView(value) : value;
  },
  set(_target, key) {
    throw new ReadOnlyViewError(`set ${String(key)}`);
  },
  defineProperty(_target, key) {
    throw new ReadOnlyViewError(`define ${String(key)}`);
  },
  deleteProperty(_target, key) {
    throw new ReadOnlyViewError(`delete ${String(key)}`);
  },
  setPrototypeOf() {
    throw new ReadOnlyViewError("change a prototype");
  },
  preventExtensions() {
    throw new ReadOnlyViewError("prevent extensions");
  },
};

/** The read-only view of `target` (one per object, so views compare equal when their targets do). */
export function readOnlyView<T extends object>(target: T): T {
  let view = views.get(target);
  if (view === undefined) {
    view = new Proxy(target, handler);
    views.set(target, view);
  }
  return view as T;
}
