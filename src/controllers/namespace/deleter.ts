// Removes everything in a namespace being deleted (upstream's namespacedResourcesDeleter,
// pkg/controller/namespace/deletion/namespaced_resources_deleter.go): pods first, then every
// other deletable resource; what is left over becomes an estimate of how long to wait and the
// NamespaceContentRemaining / NamespaceFinalizersRemaining conditions.
import type { KubeObject } from '../../api/object.js';
import { groupResource } from '../../api/object.js';
import { NamespaceConditionUpdater, type ContentTotals } from './conditions.js';
import type { NamespaceContentApi, NamespacedResource } from './content.js';

/** How long to assume objects with finalizers need (upstream's finalizerEstimateSeconds). */
export const finalizerEstimateSeconds = 15;

export interface ContentDeletionResult {
  /** Seconds until the content is likely gone; 0 when nothing is left. */
  estimateSeconds: number;
  /** Failures of this pass (discovery, deletes, unexpected leftovers); the caller retries. */
  errors: string[];
  conditionUpdater: NamespaceConditionUpdater;
}

interface ResourceResult {
  estimateSeconds: number;
  remaining: number;
  remainingByFinalizer: Map<string, number>;
  /** Objects left that nothing should be holding: reported, and the pass retried. */
  error?: string;
}

type Pod = KubeObject & { spec?: { terminationGracePeriodSeconds?: number }; status?: { phase?: string } };

export class NamespacedResourcesDeleter {
  constructor(private readonly api: NamespaceContentApi, private readonly now?: () => string) {}

  async deleteAllContent(namespace: string): Promise<ContentDeletionResult> {
    const conditionUpdater = new NamespaceConditionUpdater(this.now);
    const errors: string[] = [];
    const discovery = await this.api.discoverNamespacedResources();
    if (discovery.failedGroups.size > 0) {
      // Discovery errors are not fatal: delete what we do know about, and retry for the rest.
      const message = `unable to retrieve the complete list of server APIs: ${[...discovery.failedGroups].map(([gv, why]) => `${gv}: ${why}`).sort().join(', ')}`;
      errors.push(message);
      conditionUpdater.processDiscoveryError(message, discovery.failedGroups.size);
    }
    const deletable = discovery.resources.filter((resource) => resource.verbs.includes('delete'));
    // Pods first, so their controllers cannot replace them from objects deleted later.
    deletable.sort((a, b) => Number(isPods(b)) - Number(isPods(a)));
    const totals: ContentTotals = { remainingByResource: new Map(), remainingByFinalizer: new Map() };
    let estimateSeconds = 0;
    for (const resource of deletable) {
      let result: ResourceResult;
      try {
        result = await this.deleteAllContentForResource(resource, namespace);
      } catch (error) {
        const message = (error as Error).message;
        errors.push(message);
        conditionUpdater.processDeleteContentError(message);
        continue;
      }
      estimateSeconds = Math.max(estimateSeconds, result.estimateSeconds);
      if (result.error) {
        errors.push(result.error);
        conditionUpdater.processDeleteContentError(result.error);
      }
      if (result.remaining > 0) {
        const name = `${resource.resource}.${resource.group}`;
        totals.remainingByResource.set(name, (totals.remainingByResource.get(name) ?? 0) + result.remaining);
        for (const [finalizer, count] of result.remainingByFinalizer) totals.remainingByFinalizer.set(finalizer, (totals.remainingByFinalizer.get(finalizer) ?? 0) + count);
      }
    }
    conditionUpdater.processContentTotals(totals);
    return { estimateSeconds, errors, conditionUpdater };
  }

  private async deleteAllContentForResource(resource: NamespacedResource, namespace: string): Promise<ResourceResult> {
    const estimateSeconds = isPods(resource) ? await this.estimateGracefulTerminationForPods(resource, namespace) : 0;
    if (resource.verbs.includes('deletecollection')) {
      await this.api.deleteCollection(resource, namespace);
    } else if (resource.verbs.includes('list')) {
      for (const object of await this.api.list(resource, namespace)) await this.api.delete(resource, namespace, object.metadata?.name ?? '');
    } else {
      return { estimateSeconds, remaining: 0, remainingByFinalizer: new Map() };
    }
    if (!resource.verbs.includes('list')) return { estimateSeconds, remaining: 0, remainingByFinalizer: new Map() };
    const remaining = await this.api.list(resource, namespace);
    if (remaining.length === 0) return { estimateSeconds: 0, remaining: 0, remainingByFinalizer: new Map() };
    const remainingByFinalizer = new Map<string, number>();
    for (const object of remaining) for (const finalizer of object.metadata?.finalizers ?? []) remainingByFinalizer.set(finalizer, (remainingByFinalizer.get(finalizer) ?? 0) + 1);
    if (estimateSeconds > 0) return { estimateSeconds, remaining: remaining.length, remainingByFinalizer };
    // Finalizers are a normal reason to wait: give their controllers (and the GC) time.
    if (remainingByFinalizer.size > 0) return { estimateSeconds: finalizerEstimateSeconds, remaining: remaining.length, remainingByFinalizer };
    const error = `unexpected items still remain in namespace: ${namespace} for gvr: ${groupResource(resource.group, resource.resource)}, version ${resource.version}`;
    return { estimateSeconds, remaining: remaining.length, remainingByFinalizer, error };
  }

  /** The longest grace period of the pods still running (terminal pods need none). */
  private async estimateGracefulTerminationForPods(resource: NamespacedResource, namespace: string): Promise<number> {
    let estimate = 0;
    for (const pod of (await this.api.list(resource, namespace)) as Pod[]) {
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      estimate = Math.max(estimate, pod.spec?.terminationGracePeriodSeconds ?? 0);
    }
    return estimate;
  }
}

function isPods(resource: NamespacedResource): boolean {
  return resource.group === '' && resource.resource === 'pods';
}
