// The garbage collection policy, as upstream's kubelet flags and KubeletConfiguration fields name
// it: container GC (kubecontainer.GCPolicy) and image GC (images.ImageGCPolicy), with upstream's
// defaults and validation messages.

export interface ContainerGcPolicy {
  /** --minimum-container-ttl-duration: a dead container younger than this is kept. */
  minAgeMs: number;
  /** --maximum-dead-containers-per-container: dead instances kept per (pod, container name); < 0 is no limit. */
  maxPerPodContainer: number;
  /** --maximum-dead-containers: dead containers kept on the node; < 0 is no limit. */
  maxContainers: number;
}

export interface ImageGcPolicy {
  /** --image-gc-high-threshold: disk usage (percent) of the image filesystem at which image GC runs; 100 turns it off. */
  highThresholdPercent: number;
  /** --image-gc-low-threshold: the usage image GC frees down to. */
  lowThresholdPercent: number;
  /** --image-minimum-gc-age: an image detected less than this long ago is kept (it may be about to be used). */
  minAgeMs: number;
}

export interface GcPolicy {
  container: ContainerGcPolicy;
  image: ImageGcPolicy;
}

export const defaultGcPolicy: GcPolicy = {
  container: { minAgeMs: 0, maxPerPodContainer: 1, maxContainers: -1 },
  image: { highThresholdPercent: 85, lowThresholdPercent: 80, minAgeMs: 2 * 60_000 },
};

/** Upstream's ValidateKubeletConfiguration checks for these fields; empty when valid. */
export function validateGcPolicy(policy: GcPolicy): string[] {
  const { highThresholdPercent: high, lowThresholdPercent: low, minAgeMs } = policy.image;
  const errors: string[] = [];
  if (high < 0 || high > 100) errors.push(`invalid configuration: imageGCHighThresholdPercent (--image-gc-high-threshold) ${high} must be between 0 and 100, inclusive`);
  if (low < 0 || low > 100) errors.push(`invalid configuration: imageGCLowThresholdPercent (--image-gc-low-threshold) ${low} must be between 0 and 100, inclusive`);
  if (low >= high) errors.push(`invalid configuration: imageGCLowThresholdPercent (--image-gc-low-threshold) ${low} must be less than imageGCHighThresholdPercent (--image-gc-high-threshold) ${high}`);
  if (minAgeMs < 0) errors.push(`invalid configuration: imageMinimumGCAge ${minAgeMs / 1000}s must not be negative`);
  return errors;
}

/** One error as upstream's utilerrors.NewAggregate prints a list: the message alone, or "[a, b]". */
export function aggregateMessage(errors: readonly string[]): string {
  return errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`;
}
