// Plugin results as values: every extension point answers with a Status instead of throwing,
// so the cycle can tell "this node cannot host the pod" from "something broke".

/**
 * Unschedulable: the node might fit after preemption or a cluster change.
 * UnschedulableAndUnresolvable: preemption on this node cannot help.
 * Skip: a PreFilter/PreScore plugin has nothing to check for this pod; its Filter/Score is not run.
 */
export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Wait' | 'Skip';

export class Status {
  constructor(
    readonly code: Code,
    readonly reasons: readonly string[] = [],
    /** The plugin that produced a rejection; the framework fills it in. */
    public plugin = '',
  ) {}

  static success(): Status {
    return SUCCESS;
  }
  static unschedulable(...reasons: string[]): Status {
    return new Status('Unschedulable', reasons);
  }
  static unresolvable(...reasons: string[]): Status {
    return new Status('UnschedulableAndUnresolvable', reasons);
  }
  static error(message: string): Status {
    return new Status('Error', [message]);
  }
  static skip(): Status {
    return SKIP;
  }

  isSuccess(): boolean {
    return this.code === 'Success';
  }
  isSkip(): boolean {
    return this.code === 'Skip';
  }
  /** A plugin said no to the pod (as opposed to failing). */
  isRejected(): boolean {
    return this.code === 'Unschedulable' || this.code === 'UnschedulableAndUnresolvable';
  }
  message(): string {
    return this.reasons.join(', ');
  }
  withPlugin(plugin: string): Status {
    return new Status(this.code, this.reasons, plugin);
  }
}

const SUCCESS = new Status('Success');
const SKIP = new Status('Skip');
