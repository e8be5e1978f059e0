/**
 * A deep copy through JSON: what the provider stores is JSON (Redis keeps it
 * as text), so the memory adapter copies the way Redis does, and options are
 * copied the same way. Not structuredClone: oidc-provider tells plain
 * objects by their prototype, and under Jest's VM modules structuredClone's
 * copies come from another realm.
 */
export function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
