// The kubelet's garbage collection, started with the agent as upstream's StartGarbageCollection:
// dead containers and sandboxes every minute, images every five minutes (unless the high
// threshold is 100), each pass after the one before it. It is also the eviction manager's
// NodeReclaimer: under disk pressure every unused image and dead container goes at once.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../controllers/common/clock.js';
import { containerGcPeriodMs, imageGcPeriodMs } from '../limits.js';
import { ContainerGc, podStatesOf, type ContainerGcRuntime } from './container-gc.js';
import { parseGoDurationMs } from './flags.js';
import { ImageGcManager, type ImageGcRuntime, type NodeEventSink } from './image-gc.js';
import type { GcPolicy } from './policy.js';

/** The shape the eviction manager (src/kubelet/eviction) calls to free a resource before evicting pods. */
export interface NodeReclaimer {
  reclaim(signal: string): Promise<void>;
}

/** Test hooks: shorter GC periods (Go durations) than upstream's fixed one minute and five minutes. */
export const containerGcPeriodEnv = 'K8TS_CONTAINER_GC_PERIOD';
export const imageGcPeriodEnv = 'K8TS_IMAGE_GC_PERIOD';

function periodMs(env: string, fallback: number): number {
  const text = process.env[env];
  const ms = text === undefined ? undefined : parseGoDurationMs(text);
  return ms !== undefined && ms > 0 ? ms : fallback;
}

export interface GarbageCollectorOptions {
  policy: GcPolicy;
  containerRuntime: ContainerGcRuntime;
  imageRuntime: ImageGcRuntime;
  /** The pods the kubelet knows (its informer's cache). */
  pods: () => readonly Pod[];
  clock: Clock;
  nodeEvent: NodeEventSink;
  log: (message: string) => void;
}

export class NodeGarbageCollector implements NodeReclaimer {
  readonly containers: ContainerGc;
  readonly images: ImageGcManager;
  private timers: NodeJS.Timeout[] = [];
  /** Every pass runs after the previous one, periodic or reclaim, so two never remove the same thing. */
  private tail: Promise<unknown> = Promise.resolve();
  private previousImageGcFailed = false;

  constructor(private readonly options: GarbageCollectorOptions) {
    this.containers = new ContainerGc(options.containerRuntime, () => podStatesOf(options.pods()), options.policy.container, options.clock, options.log);
    this.images = new ImageGcManager(options.imageRuntime, options.policy.image, options.clock, options.nodeEvent, options.log);
  }

  start(): void {
    void this.serial(() => this.images.detectImages()).catch((error: unknown) => this.options.log(`detecting images: ${(error as Error).message}`));
    this.timers.push(setInterval(() => void this.collectContainers(), periodMs(containerGcPeriodEnv, containerGcPeriodMs)));
    if (this.options.policy.image.highThresholdPercent === 100) this.options.log('image garbage collection disabled: --image-gc-high-threshold is 100');
    else this.timers.push(setInterval(() => void this.collectImages(), periodMs(imageGcPeriodEnv, imageGcPeriodMs)));
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.tail.catch(() => undefined);
  }

  /** Disk signals (nodefs.*, imagefs.*, containerfs.*): all dead containers, then all unused images. Others free nothing here. */
  async reclaim(signal: string): Promise<void> {
    if (!/^(nodefs|imagefs|containerfs)\./.test(signal)) return;
    await this.serial(async () => {
      await this.containers.garbageCollect({ evictNonDeletedPods: true });
      await this.images.deleteUnusedImages();
    });
  }

  collectContainers(): Promise<void> {
    return this.serial(() => this.containers.garbageCollect()).catch((error: unknown) => {
      this.options.log(`container garbage collection failed: ${(error as Error).message}`);
      this.options.nodeEvent('Warning', 'ContainerGCFailed', (error as Error).message);
    });
  }

  /** As upstream: a first failure is only logged (stats may not be ready); repeated ones become ImageGCFailed events. */
  collectImages(): Promise<void> {
    return this.serial(() => this.images.garbageCollect()).then(
      () => {
        this.previousImageGcFailed = false;
      },
      (error: unknown) => {
        const message = (error as Error).message;
        if (this.previousImageGcFailed) {
          this.options.log(`image garbage collection failed multiple times in a row: ${message}`);
          this.options.nodeEvent('Warning', 'ImageGCFailed', message);
        } else {
          this.options.log(`image garbage collection failed once: ${message}`);
        }
        this.previousImageGcFailed = true;
      },
    );
  }

  private serial<T>(pass: () => Promise<T>): Promise<T> {
    const run = this.tail.then(pass, pass);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
