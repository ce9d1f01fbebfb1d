// /version: the Kubernetes version k8ts behaves as. /usr/bin/kubectl on our machines is a
// dispatcher that picks kubectl.1.<minor> from this answer.
export const kubernetesVersion = { major: '1', minor: '32', gitVersion: 'v1.32.0+k8ts' } as const;

export function versionInfo(): Record<string, string> {
  return {
    major: kubernetesVersion.major,
    minor: kubernetesVersion.minor,
    gitVersion: kubernetesVersion.gitVersion,
    gitCommit: 'k8ts',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform === 'win32' ? 'windows' : process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}
