// Runs one probe or lifecycle handler against a container: exec, httpGet, tcpSocket, grpc (and
// a hook's sleep). httpGet and tcpSocket go to the pod IP unless the probe names a host; a port
// may be a containerPort's name.
import type { Container, HTTPGetAction, LifecycleHandler, Probe } from 'kubernetes-types/core/v1.js';
import type { Runtime } from '../../runtime/runtime.js';
import { execInContainer } from './exec.js';
import { grpcCheck } from './grpc.js';
import { httpCheck } from './http-get.js';
import { tcpCheck } from './tcp.js';

export interface ProbeTarget {
  runtime: Pick<Runtime, 'exec'>;
  containerId: string;
  container: Container;
  podIP: string;
}

export interface RunOutcome {
  ok: boolean;
  output: string;
  warning?: string;
}

export function resolvePort(port: number | string | undefined, container: Container): number {
  if (typeof port === 'number') return port;
  if (port !== undefined && /^\d+$/.test(port)) return Number(port);
  const named = container.ports?.find((p) => p.name === port);
  if (!named) throw new Error(`couldn't find port: ${port} in ${JSON.stringify(container.ports ?? [])}`);
  return named.containerPort;
}

export function httpUrl(action: HTTPGetAction, target: ProbeTarget): URL {
  const host = action.host || target.podIP;
  const port = resolvePort(action.port, target.container);
  const path = action.path ? (action.path.startsWith('/') ? action.path : `/${action.path}`) : '/';
  return new URL(`${(action.scheme ?? 'HTTP').toLowerCase()}://${host.includes(':') ? `[${host}]` : host}:${port}${path}`);
}

export async function runHandler(handler: Probe | LifecycleHandler, target: ProbeTarget, timeoutMs: number): Promise<RunOutcome> {
  try {
    if (handler.exec) {
      const command = handler.exec.command ?? [];
      const result = await execInContainer(target.runtime, target.containerId, command, timeoutMs);
      if (result.timedOut) return { ok: false, output: `command ${JSON.stringify(command.join(' '))} timed out` };
      return { ok: result.ok, output: result.output };
    }
    if (handler.httpGet) {
      const headers = Object.fromEntries((handler.httpGet.httpHeaders ?? []).map((h) => [h.name.toLowerCase(), h.value]));
      return await httpCheck({ url: httpUrl(handler.httpGet, target), headers, timeoutMs });
    }
    if (handler.tcpSocket) return await tcpCheck(handler.tcpSocket.host || target.podIP, resolvePort(handler.tcpSocket.port, target.container), timeoutMs);
    if ('grpc' in handler && handler.grpc) return await grpcCheck(target.podIP, handler.grpc.port, handler.grpc.service ?? '', timeoutMs);
    if ('sleep' in handler && handler.sleep) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(handler.sleep!.seconds * 1000, timeoutMs)));
      return { ok: true, output: '' };
    }
  } catch (error) {
    return { ok: false, output: (error as Error).message };
  }
  return { ok: false, output: 'missing probe handler' };
}
