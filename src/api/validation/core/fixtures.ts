// Defaulted objects (as the registry hands them to validation) for the tests.
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';

export function container(overrides: Partial<Container> = {}): Container {
  return { name: 'web', image: 'nginx', imagePullPolicy: 'Always', terminationMessagePolicy: 'File', terminationMessagePath: '/dev/termination-log', ...overrides };
}

export function podSpec(overrides: Partial<PodSpec> = {}): PodSpec {
  return { containers: [container()], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30, ...overrides };
}
