// The namespace status conditions the namespace controller maintains while a namespace is
// deleted (upstream's pkg/controller/namespace/deletion/status_condition_utils.go): each is
// True with a failure reason while something is wrong, and False with an "ok" reason otherwise.

export type NamespaceConditionType =
  | 'NamespaceDeletionDiscoveryFailure'
  | 'NamespaceDeletionGroupVersionParsingFailure'
  | 'NamespaceDeletionContentFailure'
  | 'NamespaceContentRemaining'
  | 'NamespaceFinalizersRemaining';

export interface NamespaceCondition {
  type: NamespaceConditionType | string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export const conditionTypes: readonly NamespaceConditionType[] = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
];

const okMessages: Record<NamespaceConditionType, string> = {
  NamespaceDeletionDiscoveryFailure: 'All resources successfully discovered',
  NamespaceDeletionGroupVersionParsingFailure: 'All legacy kube types successfully parsed',
  NamespaceDeletionContentFailure: 'All content successfully deleted, may be waiting on finalization',
  NamespaceContentRemaining: 'All content successfully removed',
  NamespaceFinalizersRemaining: 'All content successfully removed',
};

const okReasons: Record<NamespaceConditionType, string> = {
  NamespaceDeletionDiscoveryFailure: 'ResourcesDiscovered',
  NamespaceDeletionGroupVersionParsingFailure: 'ParsedGroupVersions',
  NamespaceDeletionContentFailure: 'ContentDeleted',
  NamespaceContentRemaining: 'ContentRemoved',
  NamespaceFinalizersRemaining: 'ContentRemoved',
};

/** What one pass over a namespace's content found. */
export interface ContentTotals {
  /** "resource.group" → objects still present. */
  remainingByResource: Map<string, number>;
  /** finalizer → objects still carrying it. */
  remainingByFinalizer: Map<string, number>;
}

/** Collects one deletion pass's failures, then turns them into the namespace's conditions. */
export class NamespaceConditionUpdater {
  private readonly failures: NamespaceCondition[] = [];
  private readonly deleteContentErrors: string[] = [];

  constructor(private readonly now: () => string = rfc3339Now) {}

  processDiscoveryError(message: string, failedGroups: number): void {
    this.failures.push({
      type: 'NamespaceDeletionDiscoveryFailure',
      status: 'True',
      lastTransitionTime: this.now(),
      reason: 'DiscoveryFailed',
      message: `Discovery failed for some groups, ${failedGroups} failing: ${message}`,
    });
  }

  processDeleteContentError(message: string): void {
    this.deleteContentErrors.push(message);
  }

  processContentTotals(totals: ContentTotals): void {
    const remaining = [...totals.remainingByResource].filter(([, count]) => count > 0).map(([resource, count]) => `${resource} has ${count} resource instances`);
    if (totals.remainingByResource.size > 0) {
      this.failures.push({
        type: 'NamespaceContentRemaining',
        status: 'True',
        lastTransitionTime: this.now(),
        reason: 'SomeResourcesRemain',
        message: `Some resources are remaining: ${remaining.sort().join(', ')}`,
      });
    }
    const byFinalizer = [...totals.remainingByFinalizer].filter(([, count]) => count > 0).map(([finalizer, count]) => `${finalizer} in ${count} resource instances`);
    if (totals.remainingByFinalizer.size > 0) {
      this.failures.push({
        type: 'NamespaceFinalizersRemaining',
        status: 'True',
        lastTransitionTime: this.now(),
        // Upstream's spelling.
        reason: 'SomeFinalizerRemain',
        message: `Some finalizers are remaining: ${byFinalizer.sort().join(', ')}`,
      });
    }
  }

  /** The namespace's conditions after this pass, or undefined when nothing changed. */
  update(current: readonly NamespaceCondition[]): NamespaceCondition[] | undefined {
    const failures = [...this.failures];
    if (this.deleteContentErrors.length > 0 && !failures.some((c) => c.type === 'NamespaceDeletionContentFailure')) {
      const messages = [...this.deleteContentErrors].sort();
      failures.push({
        type: 'NamespaceDeletionContentFailure',
        status: 'True',
        lastTransitionTime: this.now(),
        reason: 'ContentDeletionFailed',
        message: `Failed to delete all resource types, ${messages.length} remaining: ${messages.join(', ')}`,
      });
    }
    const conditions = current.map((condition) => ({ ...condition }));
    let changed = false;
    for (const type of conditionTypes) {
      const wanted = failures.find((c) => c.type === type) ?? { type, status: 'False', lastTransitionTime: this.now(), reason: okReasons[type], message: okMessages[type] };
      const existing = conditions.find((c) => c.type === type);
      if (!existing) {
        conditions.push(wanted);
        changed = true;
      } else if (existing.status !== wanted.status || existing.reason !== wanted.reason || existing.message !== wanted.message) {
        if (existing.status !== wanted.status) existing.lastTransitionTime = this.now();
        existing.status = wanted.status;
        existing.reason = wanted.reason;
        existing.message = wanted.message;
        changed = true;
      }
    }
    return changed ? conditions : undefined;
  }
}

function rfc3339Now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}
