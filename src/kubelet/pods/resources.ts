// Requests and limits into what the runtime puts on cgroups, with upstream's conversions
// (pkg/kubelet/cm/helpers_linux.go), and the pod's cgroup parent under its QoS class.
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { computePodQOSClass, type PodQOSClass } from '../../api/defaults/qos.js';
import { quantityToNano } from '../../api/defaults/quantity.js';
import type { LinuxContainerResources } from '../../runtime/cri/types.js';

export const minShares = 2;
export const maxShares = 262_144;
export const sharesPerCpu = 1024;
export const quotaPeriodUs = 100_000;
/** The smallest quota the kernel accepts is 1 ms. */
export const minQuotaPeriodUs = 1_000;
/** Where every pod's cgroup lives; the runtime creates the parents. */
export const kubepodsCgroup = '/k8ts/kubepods';

/** A quantity in milli-units, rounded up as resource.Quantity.MilliValue does. */
export function milliValue(quantity: unknown): number | undefined {
  const nano = quantityToNano(quantity);
  if (nano === undefined) return undefined;
  return Number((nano + 999_999n) / 1_000_000n);
}

/** A quantity as a whole number (bytes for memory), rounded up. */
export function wholeValue(quantity: unknown): number | undefined {
  const nano = quantityToNano(quantity);
  if (nano === undefined) return undefined;
  return Number((nano + 999_999_999n) / 1_000_000_000n);
}

export function milliCpuToShares(milliCpu: number): number {
  if (milliCpu === 0) return minShares;
  return Math.min(maxShares, Math.max(minShares, Math.floor((milliCpu * sharesPerCpu) / 1000)));
}

export function milliCpuToQuota(milliCpu: number, periodUs = quotaPeriodUs): number {
  if (milliCpu === 0) return 0;
  return Math.max(minQuotaPeriodUs, Math.floor((milliCpu * periodUs) / 1000));
}

export function containerResources(container: Container): LinuxContainerResources {
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  // The API server copies limits into missing requests, so a request is there whenever a limit is.
  const cpuRequest = milliValue(requests['cpu'] ?? limits['cpu']) ?? 0;
  const resources: LinuxContainerResources = { cpuShares: milliCpuToShares(cpuRequest) };
  const cpuLimit = milliValue(limits['cpu']);
  if (cpuLimit !== undefined && cpuLimit > 0) {
    resources.cpuQuota = milliCpuToQuota(cpuLimit);
    resources.cpuPeriod = quotaPeriodUs;
  }
  const memoryLimit = wholeValue(limits['memory']);
  if (memoryLimit !== undefined && memoryLimit > 0) resources.memoryLimitInBytes = memoryLimit;
  return resources;
}

export function podQosClass(pod: Pod): PodQOSClass {
  return pod.status?.qosClass as PodQOSClass | undefined ?? computePodQOSClass(pod);
}

/** Guaranteed pods sit directly under kubepods; the others under their class, as upstream's cgroupfs layout. */
export function podCgroupParent(pod: Pod): string {
  const uid = pod.metadata?.uid ?? '';
  switch (podQosClass(pod)) {
    case 'Guaranteed':
      return `${kubepodsCgroup}/pod${uid}`;
    case 'Burstable':
      return `${kubepodsCgroup}/burstable/pod${uid}`;
    case 'BestEffort':
      return `${kubepodsCgroup}/besteffort/pod${uid}`;
  }
}
