// Lease-based leader election (client-go's leaderelection with a LeaseLock): candidates race to
// write their identity into one coordination.k8s.io/v1 Lease; the holder renews it every
// retryPeriod, and the others take over once it has not changed for leaseDuration. Expiry is
// judged by when *we* last saw the lease change, not by its renewTime, so clock skew between
// machines does not matter. Optimistic concurrency (resourceVersion) makes each write a fair race.
import type { KubeObject } from '../api/object.js';
import { isNotFound } from './errors.js';
import type { ResourceClient, RestClient } from './rest.js';

export const leaseResource = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true } as const;

/** Upstream's defaults (kube-controller-manager, kube-scheduler). */
export const defaultLeaseDurationMs = 15_000;
export const defaultRenewDeadlineMs = 10_000;
export const defaultRetryPeriodMs = 2_000;

export interface LeaderElectionOptions {
  client: RestClient;
  namespace: string;
  /** The Lease's name, e.g. "kube-controller-manager". */
  name: string;
  /** Unique per candidate, e.g. "<hostname>_<uuid>". */
  identity: string;
  leaseDurationMs?: number;
  /** How long the leader keeps trying to renew before it gives up leading. */
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Called when this candidate becomes leader; the signal aborts when it stops leading. */
  onStartedLeading: (signal: AbortSignal) => void;
  /** Called when this candidate stops leading (it had led). Components usually exit here. */
  onStoppedLeading?: () => void;
  /** Called when the observed leader changes (including to ourselves). */
  onNewLeader?: (identity: string) => void;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

type Lease = KubeObject & { spec?: LeaseSpec };

export class LeaderElector {
  private readonly leases: ResourceClient<Lease>;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  /** The lease as last read or written, and when we saw it change (our clock). */
  private observed: { lease: Lease; atMs: number } | undefined;
  private leading = false;
  private stopped = false;
  private wakeSleep: (() => void) | undefined;
  private reportedLeader = '';
  private running: Promise<void> | undefined;

  constructor(private readonly options: LeaderElectionOptions) {
    this.leases = options.client.resource<Lease>(leaseResource);
    this.leaseDurationMs = options.leaseDurationMs ?? defaultLeaseDurationMs;
    this.renewDeadlineMs = options.renewDeadlineMs ?? defaultRenewDeadlineMs;
    this.retryPeriodMs = options.retryPeriodMs ?? defaultRetryPeriodMs;
    if (!(this.leaseDurationMs > this.renewDeadlineMs && this.renewDeadlineMs > this.retryPeriodMs)) {
      throw new Error('leader election needs leaseDuration > renewDeadline > retryPeriod');
    }
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** Campaigns, leads until renewal fails or stop() is called; resolves when it has stopped (and released the lease). */
  run(): Promise<void> {
    this.running ??= this.campaign();
    return this.running;
  }

  /** Stops campaigning or leading; a leader releases the lease so another can take over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeSleep?.();
    await this.running;
  }

  private async campaign(): Promise<void> {
    while (!this.stopped) {
      if (await this.tryAcquireOrRenew()) break;
      await this.sleep(this.retryPeriodMs);
    }
    if (this.stopped) return;
    const abort = new AbortController();
    this.leading = true;
    this.options.onStartedLeading(abort.signal);
    await this.renewLoop();
    this.leading = false;
    abort.abort();
    if (this.stopped) await this.release();
    this.options.onStoppedLeading?.();
  }

  /** Renews every retryPeriod; gives up after renewDeadline without a successful renewal. */
  private async renewLoop(): Promise<void> {
    let lastRenewMs = performance.now();
    while (!this.stopped) {
      await this.sleep(this.retryPeriodMs);
      if (this.stopped) return;
      if (await this.tryAcquireOrRenew()) lastRenewMs = performance.now();
      else if (performance.now() - lastRenewMs >= this.renewDeadlineMs) return;
      // Someone else holds it now (we were too slow): we are no longer leader.
      if (this.observed?.lease.spec?.holderIdentity !== this.options.identity) return;
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const nowIso = microTime();
    const { namespace, name, identity } = this.options;
    const spec: LeaseSpec = { holderIdentity: identity, leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000), acquireTime: nowIso, renewTime: nowIso, leaseTransitions: 0 };
    let current: Lease;
    try {
      current = await this.leases.get(namespace, name);
    } catch (error) {
      if (!isNotFound(error)) return false;
      try {
        this.observe(await this.leases.create(namespace, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec }));
        return true;
      } catch {
        // AlreadyExists: another candidate created it first; anything else is retried next period.
        return false;
      }
    }
    this.observe(current);
    const holder = current.spec?.holderIdentity ?? '';
    const expired = performance.now() - this.observed!.atMs >= (current.spec?.leaseDurationSeconds ?? 0) * 1000;
    if (holder !== '' && holder !== identity && !expired) return false;
    if (holder === identity) {
      spec.acquireTime = current.spec?.acquireTime ?? nowIso;
      spec.leaseTransitions = current.spec?.leaseTransitions ?? 0;
    } else {
      spec.leaseTransitions = (current.spec?.leaseTransitions ?? 0) + 1;
    }
    try {
      this.observe(await this.leases.update(namespace, { ...current, spec: { ...current.spec, ...spec } }));
      return true;
    } catch {
      // Conflict: another candidate wrote first; any other failure is retried next period.
      return false;
    }
  }

  /** Gives the lease up (client-go: empty holder, 1 s duration) so a successor need not wait for expiry. */
  private async release(): Promise<void> {
    const lease = this.observed?.lease;
    if (!lease || lease.spec?.holderIdentity !== this.options.identity) return;
    const nowIso = microTime();
    try {
      await this.leases.update(this.options.namespace, { ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, acquireTime: nowIso, renewTime: nowIso } });
    } catch {
      // Best effort: if it fails, the successor takes over after leaseDuration instead.
    }
  }

  private observe(lease: Lease): void {
    const previous = this.observed?.lease;
    const changed = !previous || previous.spec?.holderIdentity !== lease.spec?.holderIdentity || previous.spec?.renewTime !== lease.spec?.renewTime || previous.metadata?.resourceVersion !== lease.metadata?.resourceVersion;
    if (changed) this.observed = { lease, atMs: performance.now() };
    const holder = lease.spec?.holderIdentity ?? '';
    if (holder && holder !== this.reportedLeader) {
      this.reportedLeader = holder;
      this.options.onNewLeader?.(holder);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** metav1.MicroTime: RFC 3339 with microseconds. */
function microTime(date = new Date()): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
