// /livez, /readyz and /healthz as upstream answers them: "ok", or with ?verbose one line per
// check, and /<endpoint>/<check> for a single check.
import type { ServerResponse } from 'node:http';
import { sendText } from './http/respond.js';

export interface HealthCheck {
  name: string;
  healthy(): boolean;
}

export function answerHealth(response: ServerResponse, endpoint: 'livez' | 'readyz' | 'healthz', path: string, query: URLSearchParams, checks: readonly HealthCheck[]): void {
  const single = path.split('/').filter(Boolean)[1];
  if (single) {
    const check = checks.find((c) => c.name === single);
    if (!check) return sendText(response, 404, '404 page not found\n');
    return check.healthy() ? sendText(response, 200, 'ok') : sendText(response, 500, `internal server error: ${single} check failed\n`);
  }
  const excluded = new Set(query.getAll('exclude'));
  const results = checks.filter((c) => !excluded.has(c.name)).map((c) => ({ name: c.name, ok: c.healthy() }));
  const failed = results.filter((r) => !r.ok);
  const lines = results.map((r) => (r.ok ? `[+]${r.name} ok` : `[-]${r.name} failed: reason withheld`));
  if (failed.length > 0) return sendText(response, 500, `${lines.join('\n')}\n${endpoint} check failed\n`);
  if (query.has('verbose')) return sendText(response, 200, `${lines.join('\n')}\n${endpoint} check passed\n`);
  sendText(response, 200, 'ok');
}
