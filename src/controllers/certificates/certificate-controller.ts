// Upstream's pkg/controller/certificates CertificateController: the shape the signer and the
// approvers share. Every CSR event enqueues the CSR's name; a worker hands a copy of a CSR that has
// no certificate yet to the handler, and retries it with back-off when the handler fails.
import { runWorkers, WorkQueue } from '../../client/index.js';
import { unwrapDeleted, type InformerView } from '../informer-view.js';
import { IgnorableError, isIssued, type Csr } from './csr.js';

export type CsrHandler = (csr: Csr) => Promise<void>;

export interface CertificateControllerOptions {
  /** Upstream's controller name, also the queue's. */
  name: string;
  csrs: InformerView;
  handler: CsrHandler;
  log?: (message: string) => void;
}

export class CertificateController {
  readonly queue: WorkQueue<string>;
  private readonly log: (message: string) => void;

  constructor(private readonly options: CertificateControllerOptions) {
    this.queue = new WorkQueue<string>({ name: options.name });
    this.log = options.log ?? ((message) => process.stderr.write(`k8ts controller-manager: ${message}\n`));
    const enqueue = (csr: Csr): void => {
      if (csr.metadata?.name) this.queue.add(csr.metadata.name);
    };
    options.csrs.addEventHandler({
      onAdd: (csr) => enqueue(csr as Csr),
      onUpdate: (_old, csr) => enqueue(csr as Csr),
      onDelete: (csr) => enqueue(unwrapDeleted(csr) as Csr),
    });
  }

  async run(workers: number): Promise<void> {
    if (!(await this.options.csrs.waitForSync())) return;
    await runWorkers(this.queue, workers, (name) => this.sync(name), {
      onError: (name, error) => {
        // An ignorable error is said once per CSR, not at every retry.
        if (error instanceof IgnorableError && this.queue.numRequeues(name) > 0) return;
        this.log(`${this.options.name}: sync ${name} failed: ${(error as Error).message}`);
      },
    });
  }

  shutDown(): void {
    this.queue.shutDown();
  }

  async sync(name: string): Promise<void> {
    const cached = this.options.csrs.cache.get(name) as Csr | undefined;
    // Gone, or already issued: nothing left to do for any certificate controller.
    if (!cached || isIssued(cached)) return;
    await this.options.handler(structuredClone(cached));
  }
}
