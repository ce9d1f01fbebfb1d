// Template hashes for pod-template-hash labels and ControllerRevision names. Upstream hashes the
// Go structure with FNV-32a and encodes it with SafeEncodeString (no vowels, so no words); k8ts
// hashes the template's canonical JSON (keys sorted) the same way, so the hash is stable for a
// template and changes with it, though the digits differ from upstream's.

/** Upstream's alphanumerics for SafeEncodeString: no vowels, no 0/1/3 (look like letters). */
const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

export function safeEncodeString(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) out += safeAlphabet[value.charCodeAt(i) % safeAlphabet.length];
  return out;
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  const bytes = Buffer.from(text, 'utf8');
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Upstream's ComputeHash(template, collisionCount): the collision count perturbs the hash. */
export function computeHash(template: unknown, collisionCount?: number): string {
  let text = canonicalJson(template);
  if (collisionCount !== undefined && collisionCount !== null) text += `#${collisionCount}`;
  return safeEncodeString(String(fnv32a(text)));
}
