// Upstream's uidTrackingExpectations for finalizer removals: a Job does not count a pod twice while
// the informer has not yet seen its tracking finalizer go away.

export class FinalizerExpectations {
  private readonly byJob = new Map<string, Set<string>>();

  expectedUids(jobKey: string): ReadonlySet<string> {
    return this.byJob.get(jobKey) ?? new Set();
  }

  expectRemoved(jobKey: string, uids: readonly string[]): void {
    const set = this.byJob.get(jobKey) ?? new Set<string>();
    for (const uid of uids) set.add(uid);
    this.byJob.set(jobKey, set);
  }

  removalObserved(jobKey: string, uid: string): void {
    const set = this.byJob.get(jobKey);
    if (!set) return;
    set.delete(uid);
    if (set.size === 0) this.byJob.delete(jobKey);
  }

  delete(jobKey: string): void {
    this.byJob.delete(jobKey);
  }
}
