// Score: prefers nodes that already hold the pod's images, by image size scaled by how many
// nodes have the image (so one popular image does not pull every pod to the same node).
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { ScorePlugin } from '../framework/interface.js';
import { MAX_NODE_SCORE } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';

export const NAME = 'ImageLocality';
const MIB = 1024 * 1024;
/** Below this much image data a node gets 0: small images are cheap to pull anyway. */
const MIN_THRESHOLD_BYTES = 23 * MIB;
const MAX_CONTAINER_THRESHOLD_BYTES = 1000 * MIB;

/** "nginx" -> "nginx:latest", as the names nodes report carry a tag. */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

/** The pod's normalised image names, once per pod spec rather than once per node scored. */
const imagesBySpec = new WeakMap<object, string[]>();
function podImages(pod: Pod): string[] {
  const spec = pod.spec;
  if (!spec) return [];
  let images = imagesBySpec.get(spec);
  if (!images) {
    images = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((c) => normalizedImageName(c.image ?? ''));
    imagesBySpec.set(spec, images);
  }
  return images;
}

function sumImageScores(nodeInfo: NodeInfo, images: readonly string[], totalNodes: number): number {
  let sum = 0;
  for (const image of images) {
    const state = nodeInfo.imageStates.get(image);
    if (state) sum += Math.trunc((state.sizeBytes * state.numNodes) / totalNodes);
  }
  return sum;
}

export function imageScore(sumBytes: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD_BYTES * numContainers;
  const clamped = Math.min(Math.max(sumBytes, MIN_THRESHOLD_BYTES), maxThreshold);
  return Math.trunc((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD_BYTES)) / (maxThreshold - MIN_THRESHOLD_BYTES));
}

/** What ImageLocality needs of the pod, worked out once per cycle instead of once per node. */
interface PodImages {
  images: readonly string[];
  numContainers: number;
  /** The score of a node holding none of the images (0: below the threshold). */
  noImagesScore: number;
}

function podImagesForCycle(pod: Pod): PodImages {
  const numContainers = (pod.spec?.initContainers ?? []).length + (pod.spec?.containers ?? []).length;
  return { images: podImages(pod), numContainers, noImagesScore: numContainers === 0 ? 0 : imageScore(0, numContainers) };
}

function scoreNode(wanted: PodImages, nodeInfo: NodeInfo, totalNodes: number): number {
  if (wanted.numContainers === 0) return 0;
  // Most nodes report no images at all (simulated and fresh nodes): nothing to look up.
  if (nodeInfo.imageStates.size === 0) return wanted.noImagesScore;
  return imageScore(sumImageScores(nodeInfo, wanted.images, totalNodes), wanted.numContainers);
}

export function newImageLocality(): ScorePlugin {
  // The pod's images for the current cycle: score runs once per candidate node, and even the
  // per-spec WeakMap lookup showed in profiles.
  let lastState: CycleState | undefined;
  let lastPod: Pod | undefined;
  let current: PodImages = { images: [], numContainers: 0, noImagesScore: 0 };
  const forCycle = (state: CycleState, pod: Pod): PodImages => {
    if (state !== lastState || pod !== lastPod) {
      current = podImagesForCycle(pod);
      lastState = state;
      lastPod = pod;
    }
    return current;
  };
  return {
    name: NAME,
    score(state, pod, nodeInfo): number {
      return scoreNode(forCycle(state, pod), nodeInfo, state.snapshot.nodeInfoList.length);
    },
    scoreNodes(state, pod, nodes, out): undefined {
      const images = forCycle(state, pod);
      const totalNodes = state.snapshot.nodeInfoList.length;
      for (let i = 0; i < nodes.length; i++) out[i] = scoreNode(images, nodes[i]!, totalNodes);
      return undefined;
    },
  };
}
