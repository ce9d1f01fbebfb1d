// The kubelet server's paths, as upstream's (pkg/kubelet/server/server.go). exec, attach and
// portForward also accept the pod UID before the container name, as upstream does.
export type Route =
  | { kind: 'healthz' }
  | { kind: 'statsSummary' }
  | { kind: 'resourceMetrics' }
  | { kind: 'containerLogs'; namespace: string; pod: string; container: string }
  | { kind: 'exec' | 'attach'; namespace: string; pod: string; container: string }
  | { kind: 'portForward'; namespace: string; pod: string }
  | { kind: 'notFound' };

export function route(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  const [head, ns, pod] = parts;
  if (head === 'healthz' && parts.length === 1) return { kind: 'healthz' };
  if (head === 'stats' && ns === 'summary' && parts.length === 2) return { kind: 'statsSummary' };
  if (head === 'metrics' && ns === 'resource' && parts.length === 2) return { kind: 'resourceMetrics' };
  if (!ns || !pod) return { kind: 'notFound' };
  if (head === 'containerLogs' && parts.length === 4) return { kind: 'containerLogs', namespace: ns, pod, container: parts[3]! };
  if ((head === 'exec' || head === 'attach') && (parts.length === 4 || parts.length === 5)) return { kind: head, namespace: ns, pod, container: parts[parts.length - 1]! };
  if (head === 'portForward' && (parts.length === 3 || parts.length === 4)) return { kind: 'portForward', namespace: ns, pod };
  return { kind: 'notFound' };
}
