// Registry errors as Docker prints them: the distribution spec's error codes become
// "manifest unknown: manifest unknown", "unauthorized: authentication required", and a pull the
// registry refuses becomes "pull access denied for NAME, repository does not exist or may
// require 'docker login'".
export class RegistryError extends Error {
  constructor(message: string, readonly status?: number, readonly code?: string) {
    super(message);
  }
}

/** The body of an error response: {"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}. */
export function describeErrorBody(status: number, body: string): { code?: string; text: string } {
  try {
    const parsed = JSON.parse(body) as { errors?: { code?: string; message?: string }[] };
    const first = parsed.errors?.[0];
    if (first?.code) {
      const code = first.code;
      return { code, text: `${code.toLowerCase().replace(/_/g, ' ')}: ${first.message ?? ''}`.replace(/: $/, '') };
    }
  } catch {
    // Not JSON: fall through to the status line.
  }
  if (status === 401) return { code: 'UNAUTHORIZED', text: 'unauthorized: authentication required' };
  if (status === 403) return { code: 'DENIED', text: 'denied: requested access to the resource is denied' };
  if (status === 404) return { code: 'NOT_FOUND', text: 'not found' };
  return { text: `unexpected status ${status}${body.trim() ? `: ${body.trim().slice(0, 200)}` : ''}` };
}

export function pullAccessDenied(repository: string, cause: string): RegistryError {
  return new RegistryError(`pull access denied for ${repository}, repository does not exist or may require 'docker login': ${cause}`, 401, 'DENIED');
}
