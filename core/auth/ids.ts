export type UserId = string & { readonly __brand: "UserId" };
export type SessionId = string & { readonly __brand: "SessionId" };

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Narrows an untrusted string (e.g. a decoded global id) to a UserId, or null. */
export function parseUserId(value: string): UserId | null {
  return uuidPattern.test(value) ? (value.toLowerCase() as UserId) : null;
}
