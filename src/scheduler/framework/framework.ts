// Runs one profile's plugins at each extension point, in the configured order, with weights.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { EMPTY_CLUSTER_OBJECTS, type ClusterObjects } from './cluster-objects.js';
import type { CycleState } from './cycle-state.js';
import {
  isBind, isFilter, isPermit, isPostFilter, isPreBind, isPreEnqueue, isPreFilter, isPreScore, isQueueSort, isReserve, isScore,
  MAX_NODE_SCORE, MIN_NODE_SCORE,
  type BindPlugin, type FilterPlugin, type PermitPlugin, type Plugin, type PostFilterPlugin,
  type PostFilterResult, type PreBindPlugin, type PreEnqueuePlugin, type PreFilterPlugin, type PreScorePlugin, type QueueSortPlugin,
  type QueuedPodInfoView, type ReservePlugin, type ScorePlugin,
} from './interface.js';
import type { NodeInfo } from './node-info.js';
import { ScoreBuffers } from './score-buffers.js';
import { addWeighted, scoreEachNode, scoreResult, zeros, type ScoreResult } from './score-result.js';
import { Status } from './status.js';

export const EXTENSION_POINTS = [
  'preEnqueue', 'queueSort', 'preFilter', 'filter', 'postFilter', 'preScore', 'score', 'reserve', 'permit', 'preBind', 'bind',
] as const;
export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];

const implementsPoint: Record<ExtensionPoint, (p: Plugin) => boolean> = {
  preEnqueue: isPreEnqueue, queueSort: isQueueSort, preFilter: isPreFilter, filter: isFilter, postFilter: isPostFilter,
  preScore: isPreScore, score: isScore, reserve: isReserve, permit: isPermit, preBind: isPreBind, bind: isBind,
};

/** Upstream's interface names, which its configuration errors print. */
const pluginTypeName: Record<ExtensionPoint, string> = {
  preEnqueue: 'PreEnqueuePlugin', queueSort: 'QueueSortPlugin', preFilter: 'PreFilterPlugin', filter: 'FilterPlugin',
  postFilter: 'PostFilterPlugin', preScore: 'PreScorePlugin', score: 'ScorePlugin', reserve: 'ReservePlugin',
  permit: 'PermitPlugin', preBind: 'PreBindPlugin', bind: 'BindPlugin',
};
/** The order upstream checks extension points in, so the first configuration error reported is the same. */
const UPSTREAM_POINT_ORDER: readonly ExtensionPoint[] = [
  'preFilter', 'filter', 'postFilter', 'reserve', 'preScore', 'score', 'preBind', 'bind', 'permit', 'preEnqueue', 'queueSort',
];

export interface PluginRef {
  name: string;
  weight?: number;
}
export interface PluginSet {
  enabled?: PluginRef[];
  /** `{ name: '*' }` disables every multiPoint plugin at this point. */
  disabled?: PluginRef[];
}
export type ProfilePlugins = Partial<Record<ExtensionPoint | 'multiPoint', PluginSet>>;

export interface Profile {
  schedulerName: string;
  plugins: ProfilePlugins;
  /** Plugin name -> its args object (KubeSchedulerConfiguration pluginConfig). */
  pluginArgs?: Readonly<Record<string, unknown>>;
  percentageOfNodesToScore?: number;
}

/**
 * `handle` lets plugins such as preemption run the profile's own filters, and the volume plugins
 * read storage objects through `handle.clusterObjects`.
 */
export type PluginFactory = (args: unknown, handle: Framework) => Plugin;
export type Registry = ReadonlyMap<string, PluginFactory>;

export interface FrameworkOptions {
  /** Storage lookups and volume writes for the volume plugins; none by default. */
  clusterObjects?: ClusterObjects;
}

export interface WeightedScorePlugin {
  plugin: ScorePlugin;
  weight: number;
}

export class Framework {
  readonly preEnqueue: PreEnqueuePlugin[] = [];
  queueSort: QueueSortPlugin | undefined;
  readonly preFilter: PreFilterPlugin[] = [];
  readonly filter: FilterPlugin[] = [];
  readonly postFilter: PostFilterPlugin[] = [];
  readonly preScore: PreScorePlugin[] = [];
  readonly score: WeightedScorePlugin[] = [];
  readonly reserve: ReservePlugin[] = [];
  readonly permit: PermitPlugin[] = [];
  readonly preBind: PreBindPlugin[] = [];
  readonly bind: BindPlugin[] = [];
  /** How many QueueSort plugins the profile enabled; upstream requires exactly one. */
  queueSortCount = 0;
  private readonly scoreBuffers = new ScoreBuffers();

  private constructor(
    readonly profile: Profile,
    readonly clusterObjects: ClusterObjects,
  ) {}

  get schedulerName(): string {
    return this.profile.schedulerName;
  }

  /**
   * Expands the profile as upstream: at each point, plugins both named there and in multiPoint
   * come first (in the point's order), then the other multiPoint plugins that implement the
   * point and are not disabled there, then the rest named at the point.
   */
  static create(registry: Registry, profile: Profile, options: FrameworkOptions = {}): Framework {
    const fw = new Framework(profile, options.clusterObjects ?? EMPTY_CLUSTER_OBJECTS);
    const multiPoint = profile.plugins.multiPoint ?? {};
    for (const point of UPSTREAM_POINT_ORDER) {
      for (const ref of profile.plugins[point]?.enabled ?? []) {
        if (!registry.has(ref.name)) throw new Error(`${pluginTypeName[point]} "${ref.name}" does not exist`);
      }
    }
    for (const ref of multiPoint.enabled ?? []) {
      if (!registry.has(ref.name)) throw new Error(`${pluginTypeName.preFilter} "${ref.name}" does not exist`);
    }

    const instances = new Map<string, Plugin>();
    const instance = (name: string): Plugin => {
      let plugin = instances.get(name);
      if (!plugin) {
        const factory = registry.get(name);
        if (!factory) throw new Error(`plugin "${name}" does not exist`);
        plugin = factory(profile.pluginArgs?.[name], fw);
        instances.set(name, plugin);
      }
      return plugin;
    };
    const multiPointDisabled = new Set((multiPoint.disabled ?? []).map((p) => p.name));

    for (const point of EXTENSION_POINTS) {
      const set = profile.plugins[point] ?? {};
      const disabled = new Set((set.disabled ?? []).map((p) => p.name));
      const specific = new Map<string, PluginRef>();
      for (const ref of set.enabled ?? []) {
        if (!implementsPoint[point](instance(ref.name))) throw new Error(`plugin "${ref.name}" does not extend ${pluginTypeName[point]} plugin`);
        if (specific.has(ref.name)) throw new Error(`plugin "${ref.name}" already registered as "${pluginTypeName[point]}"`);
        specific.set(ref.name, ref);
      }
      const overrides = new Set<string>();
      const fromMultiPoint = new Map<string, PluginRef>();
      if (!disabled.has('*')) {
        for (const ref of multiPoint.enabled ?? []) {
          if (multiPointDisabled.has(ref.name) || !implementsPoint[point](instance(ref.name)) || disabled.has(ref.name)) continue;
          // Named at the point too: the point's own entry (and weight) wins.
          if (specific.has(ref.name)) {
            overrides.add(ref.name);
            continue;
          }
          if (fromMultiPoint.has(ref.name)) throw new Error(`plugin "${ref.name}" already registered as "${pluginTypeName[point]}"`);
          fromMultiPoint.set(ref.name, ref);
        }
      }
      const refs = [
        ...[...specific.values()].filter((r) => overrides.has(r.name)),
        ...fromMultiPoint.values(),
        ...[...specific.values()].filter((r) => !overrides.has(r.name)),
      ];
      for (const ref of refs) fw.enable(point, instance(ref.name), ref.weight);
    }
    return fw;
  }

  private enable(point: ExtensionPoint, plugin: Plugin, weight: number | undefined): void {
    switch (point) {
      case 'preEnqueue': this.preEnqueue.push(plugin as PreEnqueuePlugin); break;
      case 'queueSort': this.queueSort ??= plugin as QueueSortPlugin; this.queueSortCount++; break;
      case 'preFilter': this.preFilter.push(plugin as PreFilterPlugin); break;
      case 'filter': this.filter.push(plugin as FilterPlugin); break;
      case 'postFilter': this.postFilter.push(plugin as PostFilterPlugin); break;
      case 'preScore': this.preScore.push(plugin as PreScorePlugin); break;
      // A weight left at 0 means the default weight 1.
      case 'score': this.score.push({ plugin: plugin as ScorePlugin, weight: weight || 1 }); break;
      case 'reserve': this.reserve.push(plugin as ReservePlugin); break;
      case 'permit': this.permit.push(plugin as PermitPlugin); break;
      case 'preBind': this.preBind.push(plugin as PreBindPlugin); break;
      case 'bind': this.bind.push(plugin as BindPlugin); break;
    }
  }

  hasFilterPlugins(): boolean {
    return this.filter.length > 0;
  }
  hasScorePlugins(): boolean {
    return this.score.length > 0;
  }

  runPreEnqueuePlugins(pod: Pod): Status {
    for (const p of this.preEnqueue) {
      const s = p.preEnqueue(pod);
      if (!s.isSuccess()) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  queueSortLess(a: QueuedPodInfoView, b: QueuedPodInfoView): boolean {
    if (!this.queueSort) throw new Error('profile has no queueSort plugin');
    return this.queueSort.less(a, b);
  }

  /** Stops at the first rejection; plugins answering Skip have their Filter skipped. */
  runPreFilterPlugins(state: CycleState, pod: Pod): Status {
    const nodes = state.snapshot.nodeInfoList;
    for (const p of this.preFilter) {
      const s = p.preFilter(state, pod, nodes);
      if (s.isSkip()) {
        state.skipFilterPlugins.add(p.name);
        continue;
      }
      if (!s.isSuccess()) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  /** The first plugin that rejects the node decides its Status, as upstream. */
  runFilterPlugins(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    const filters = this.filtersToRun(state);
    for (let i = 0; i < filters.length; i++) {
      const p = filters[i]!;
      const s = p.filter(state, pod, nodeInfo);
      if (!s.isSuccess()) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  /**
   * The filters PreFilter did not skip, worked out once per cycle instead of a set lookup per
   * plugin and node; recomputed if the skip set grew since (PreFilter only ever adds to it).
   */
  private filtersToRun(state: CycleState): readonly FilterPlugin[] {
    const skipped = state.skipFilterPlugins;
    if (skipped.size === 0) return this.filter;
    const memo = state.filtersToRun;
    if (memo && memo.from === this.filter && memo.skippedCount === skipped.size) return memo.plugins;
    const plugins = this.filter.filter((p) => !skipped.has(p.name));
    state.filtersToRun = { from: this.filter, skippedCount: skipped.size, plugins };
    return plugins;
  }

  /** The first plugin that succeeds (or errors) ends PostFilter. */
  runPostFilterPlugins(state: CycleState, pod: Pod, nodeStatuses: ReadonlyMap<string, Status>): PostFilterResult {
    let last: PostFilterResult = { status: Status.unschedulable() };
    for (const p of this.postFilter) {
      const result = p.postFilter(state, pod, nodeStatuses);
      if (result.status.isSuccess() || result.status.code === 'Error') return result;
      last = { ...result, status: result.status.withPlugin(p.name) };
    }
    return last;
  }

  runPreScorePlugins(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
    for (const p of this.preScore) {
      const s = p.preScore(state, pod, nodes);
      if (s.isSkip()) {
        state.skipScorePlugins.add(p.name);
        continue;
      }
      if (!s.isSuccess()) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  /** Score, normalise, check the range, weigh, and sum per node. */
  runScorePlugins(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): ScoreResult | Status {
    const totals = zeros(nodes.length);
    const perPlugin: Array<readonly [string, number[]]> = [];
    const cycle = this.scoreBuffers.startCycle();
    for (const { plugin, weight } of this.score) {
      if (state.skipScorePlugins.has(plugin.name)) continue;
      // Every entry is written below before it is read.
      const scores = this.scoreBuffers.get(perPlugin.length, nodes.length);
      const scored = plugin.scoreNodes ? plugin.scoreNodes(state, pod, nodes, scores) : scoreEachNode(plugin, state, pod, nodes, scores);
      if (scored) return scored.withPlugin(plugin.name);
      if (plugin.normalizeScore) {
        const s = plugin.normalizeScore(state, pod, scores, nodes);
        if (!s.isSuccess()) return s.withPlugin(plugin.name);
      }
      const outOfRange = addWeighted(totals, scores, weight);
      if (outOfRange !== undefined) {
        return Status.error(`plugin "${plugin.name}" returns an invalid score ${outOfRange}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`).withPlugin(plugin.name);
      }
      perPlugin.push([plugin.name, scores]);
    }
    return scoreResult(nodes, totals, perPlugin, this.scoreBuffers, cycle);
  }

  /** On a failed reserve, everything already reserved is undone in reverse order. */
  runReservePlugins(state: CycleState, pod: Pod, nodeName: string): Status {
    for (const [i, p] of this.reserve.entries()) {
      const s = p.reserve(state, pod, nodeName);
      if (!s.isSuccess()) {
        for (const done of this.reserve.slice(0, i + 1).reverse()) done.unreserve(state, pod, nodeName);
        return s.withPlugin(p.name);
      }
    }
    return Status.success();
  }

  runUnreservePlugins(state: CycleState, pod: Pod, nodeName: string): void {
    for (const p of [...this.reserve].reverse()) p.unreserve(state, pod, nodeName);
  }

  /** A rejection wins; otherwise the longest Wait is returned for the caller to wait on. */
  runPermitPlugins(state: CycleState, pod: Pod, nodeName: string): { status: Status; timeoutMs: number } {
    let waitMs = 0;
    for (const p of this.permit) {
      const { status, timeoutMs } = p.permit(state, pod, nodeName);
      if (status.isRejected() || status.code === 'Error') return { status: status.withPlugin(p.name), timeoutMs: 0 };
      if (status.code === 'Wait') waitMs = Math.max(waitMs, timeoutMs ?? 0);
    }
    return { status: waitMs > 0 ? new Status('Wait') : Status.success(), timeoutMs: waitMs };
  }

  /** Any failure stops the pod's binding; the caller then runs Unreserve. */
  async runPreBindPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    for (const p of this.preBind) {
      let s: Status;
      try {
        s = await p.preBind(state, pod, nodeName);
      } catch (err) {
        s = Status.error(err instanceof Error ? err.message : String(err));
      }
      if (s.isSkip()) continue;
      if (!s.isSuccess()) {
        // A rejection keeps its code; anything else is wrapped as upstream's error message.
        return (s.isRejected() ? s : Status.error(`running PreBind plugin "${p.name}": ${s.message()}`)).withPlugin(p.name);
      }
    }
    return Status.success();
  }

  async runBindPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    for (const p of this.bind) {
      const s = await p.bind(state, pod, nodeName);
      if (s.isSkip()) continue;
      return s.isSuccess() ? s : s.withPlugin(p.name);
    }
    return Status.error('no bind plugin bound the pod');
  }
}
