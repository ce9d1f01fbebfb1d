// An httpGet probe or hook, as upstream's prober/http: GET with kube-probe's User-Agent and the
// probe's headers; 200–399 is success. Redirects on the same host are followed (up to 10); a
// redirect to another host is not followed and counts as success with a warning, as upstream.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { maxProbeOutputBytes, maxProbeRedirects } from '../limits.js';

export interface HttpOutcome {
  ok: boolean;
  output: string;
  /** Success with something worth an event (ProbeWarning). */
  warning?: string;
  statusCode?: number;
}

export interface HttpTarget {
  url: URL;
  headers: Record<string, string>;
  timeoutMs: number;
}

function get(url: URL, headers: Record<string, string>, timeoutMs: number): Promise<{ response: IncomingMessage; body: string }> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    // Probes skip certificate verification, as upstream's (InsecureSkipVerify).
    const req = send(url, { method: 'GET', headers, timeout: timeoutMs, rejectUnauthorized: false }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        if (size < maxProbeOutputBytes) chunks.push(chunk);
        size += chunk.length;
      });
      response.on('end', () => resolve({ response, body: Buffer.concat(chunks).toString('utf8').slice(0, maxProbeOutputBytes) }));
      response.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('context deadline exceeded (Client.Timeout exceeded while awaiting headers)')));
    req.on('error', reject);
    req.end();
  });
}

export async function httpCheck(target: HttpTarget): Promise<HttpOutcome> {
  let url = target.url;
  const headers = { 'user-agent': 'kube-probe/1.32', accept: '*/*', ...target.headers };
  for (let redirects = 0; ; redirects++) {
    let reply: { response: IncomingMessage; body: string };
    try {
      reply = await get(url, headers, target.timeoutMs);
    } catch (error) {
      return { ok: false, output: `Get "${url.href}": ${(error as Error).message}` };
    }
    const status = reply.response.statusCode ?? 0;
    const location = reply.response.headers.location;
    if (status >= 300 && status < 400 && location) {
      const next = new URL(location, url);
      if (next.hostname !== url.hostname) return { ok: true, output: '', warning: `Probe terminated redirects, Response body: ${reply.body}`, statusCode: status };
      if (redirects >= maxProbeRedirects) return { ok: false, output: `Get "${next.href}": stopped after ${maxProbeRedirects} redirects` };
      url = next;
      continue;
    }
    if (status >= 200 && status < 400) return { ok: true, output: reply.body, statusCode: status };
    return { ok: false, output: `HTTP probe failed with statuscode: ${status}`, statusCode: status };
  }
}
