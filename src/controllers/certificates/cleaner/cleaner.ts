// Upstream's csrcleaner (pkg/controller/certificates/cleaner): CSRs pile up with automatic
// requests and approvals, so every hour the ones that are done are deleted — issued, denied or
// failed for more than an hour, pending for more than a day, or holding an expired certificate.
import { X509Certificate } from 'node:crypto';
import { isNotFound, type ResourceClient } from '../../../client/index.js';
import type { Clock } from '../../common/clock.js';
import type { InformerView } from '../../informer-view.js';
import { isIssued, type Csr } from '../csr.js';
import { approvedExpirationMs, cleanerPollingIntervalMs, deniedExpirationMs, failedExpirationMs, pendingExpirationMs } from '../limits.js';

function olderThan(timestamp: string | undefined, ageMs: number, nowMs: number): boolean {
  return timestamp !== undefined && timestamp !== '' && nowMs - Date.parse(timestamp) > ageMs;
}

/** Why a CSR is due for deletion, or undefined. */
export function cleanupReason(csr: Csr, nowMs: number): string | undefined {
  const conditions = csr.status?.conditions ?? [];
  const issued = isIssued(csr);
  if (issued && conditions.some((c) => c.type === 'Approved')) {
    const der = Buffer.from(csr.status!.certificate!, 'base64').toString('latin1');
    try {
      if (new Date(new X509Certificate(der).validTo).getTime() < nowMs) return 'the associated certificate is expired';
    } catch {
      // An unreadable certificate is judged by its age alone.
    }
  }
  if (issued && conditions.some((c) => c.type === 'Approved' && olderThan(c.lastUpdateTime, approvedExpirationMs, nowMs))) return 'it is more than 1h0m0s old and approved';
  if (conditions.some((c) => c.type === 'Denied' && olderThan(c.lastUpdateTime, deniedExpirationMs, nowMs))) return 'it is more than 1h0m0s old and denied';
  if (conditions.some((c) => c.type === 'Failed' && olderThan(c.lastUpdateTime, failedExpirationMs, nowMs))) return 'it is more than 1h0m0s old and failed';
  if (conditions.length === 0 && olderThan(csr.metadata?.creationTimestamp, pendingExpirationMs, nowMs)) return 'it is more than 24h0m0s old and unhandled';
  return undefined;
}

export class CsrCleaner {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(private readonly options: { csrs: InformerView; csrClient: Pick<ResourceClient<Csr>, 'delete'>; clock: Clock; log?: (message: string) => void }) {}

  async run(): Promise<void> {
    if (!(await this.options.csrs.waitForSync())) return;
    while (!this.stopped) {
      await this.cleanOnce();
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, cleanerPollingIntervalMs);
      });
    }
  }

  shutDown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.wake?.();
  }

  async cleanOnce(): Promise<void> {
    const log = this.options.log ?? ((message: string) => process.stderr.write(`k8ts controller-manager: csrcleaner: ${message}\n`));
    const nowMs = this.options.clock.now();
    for (const csr of this.options.csrs.cache.list() as Csr[]) {
      const reason = cleanupReason(csr, nowMs);
      if (!reason) continue;
      const name = csr.metadata?.name ?? '';
      log(`Cleaning CSR ${JSON.stringify(name)} as ${reason}.`);
      try {
        await this.options.csrClient.delete(undefined, name, { preconditions: { uid: csr.metadata?.uid } });
      } catch (error) {
        if (!isNotFound(error)) log(`unable to delete CSR ${JSON.stringify(name)}: ${(error as Error).message}`);
      }
    }
  }
}
