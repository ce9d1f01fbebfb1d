// The server runs its parts behind one interface, like k3s's executor: each component starts,
// reports readiness, and stops in reverse order. Later issues add the scheduler, the
// controller manager and the node agent as components.
export interface Component {
  name: string;
  start(): Promise<void>;
  ready(): boolean;
  stop(): Promise<void>;
}

export class ComponentRunner {
  private readonly started: Component[] = [];

  constructor(private readonly components: readonly Component[]) {}

  async start(): Promise<void> {
    for (const component of this.components) {
      await component.start();
      this.started.push(component);
    }
  }

  ready(): boolean {
    return this.started.length === this.components.length && this.components.every((c) => c.ready());
  }

  async stop(): Promise<void> {
    while (this.started.length > 0) {
      const component = this.started.pop()!;
      try {
        await component.stop();
      } catch (error) {
        process.stderr.write(`k8ts: stopping ${component.name}: ${(error as Error).message}\n`);
      }
    }
  }
}
