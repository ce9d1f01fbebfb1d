import { kubernetesVersion } from '../apiserver/version.js';
import type { Command } from './flags.js';

export const versionCommand: Command = {
  name: 'version',
  summary: 'Print the k8ts version and the Kubernetes version it serves',
  usage: 'k8ts version',
  flags: [],
  async run() {
    process.stdout.write(`k8ts version ${kubernetesVersion.gitVersion} (Kubernetes ${kubernetesVersion.major}.${kubernetesVersion.minor}, node ${process.versions.node})\n`);
    return 0;
  },
};
