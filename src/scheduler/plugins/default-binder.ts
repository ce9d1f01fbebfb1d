// Bind: hands the decision to the API (POST pods/{name}/binding). The I/O is injected so the
// plugin stays testable; the wiring step passes the REST client's call.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { BindPlugin } from '../framework/interface.js';
import { Status } from '../framework/status.js';

export const NAME = 'DefaultBinder';

export type BindFunction = (pod: Pod, nodeName: string) => Promise<void>;

export interface DefaultBinderArgs {
  bind?: BindFunction;
}

export function newDefaultBinder(rawArgs?: unknown): BindPlugin {
  const bind = ((rawArgs ?? {}) as DefaultBinderArgs).bind;
  return {
    name: NAME,
    async bind(_state, pod, nodeName): Promise<Status> {
      if (!bind) return Status.error('DefaultBinder has no bind function; the scheduler wiring must supply one');
      try {
        await bind(pod, nodeName);
        return Status.success();
      } catch (err) {
        return Status.error(err instanceof Error ? err.message : String(err));
      }
    },
  };
}
