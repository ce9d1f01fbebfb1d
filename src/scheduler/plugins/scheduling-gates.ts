// PreEnqueue: pods with spec.schedulingGates wait outside the active queue until the gates
// are removed.
import type { PreEnqueuePlugin } from '../framework/interface.js';
import { Status } from '../framework/status.js';

export const NAME = 'SchedulingGates';

export function newSchedulingGates(): PreEnqueuePlugin {
  return {
    name: NAME,
    preEnqueue(pod): Status {
      const gates = (pod.spec?.schedulingGates ?? []).map((g) => g.name);
      if (gates.length === 0) return Status.success();
      return Status.unresolvable(`waiting for scheduling gates: [${gates.join(' ')}]`);
    },
  };
}
