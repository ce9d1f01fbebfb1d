// How a container's process is made from its image and its Kubernetes spec, by upstream's rules:
// command replaces ENTRYPOINT (and drops CMD), args replace CMD; env from the image, then the
// pod's, later keys winning; the user from securityContext or the image's USER, names looked up
// in the image's own /etc/passwd and /etc/group.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageConfig } from '../images/manifest.js';
import { defaultPath } from '../oci/defaults.js';
import type { ContainerConfig } from '../cri/types.js';

export class CreateContainerError extends Error {}

export function resolveArgs(config: Pick<ContainerConfig, 'command' | 'args'>, image: ImageConfig): string[] {
  const entrypoint = image.config?.Entrypoint ?? [];
  const cmd = image.config?.Cmd ?? [];
  const command = config.command?.length ? config.command : undefined;
  const args = config.args?.length ? config.args : undefined;
  const argv = command ? [...command, ...(args ?? [])] : [...entrypoint, ...(args ?? cmd)];
  if (argv.length === 0) throw new CreateContainerError('no command specified');
  return argv;
}

export function resolveEnv(config: Pick<ContainerConfig, 'envs'>, image: ImageConfig): string[] {
  const env = new Map<string, string>();
  for (const entry of image.config?.Env ?? []) {
    const eq = entry.indexOf('=');
    env.set(eq < 0 ? entry : entry.slice(0, eq), eq < 0 ? '' : entry.slice(eq + 1));
  }
  for (const { key, value } of config.envs ?? []) env.set(key, value);
  if (!env.has('PATH')) env.set('PATH', defaultPath.slice('PATH='.length));
  return [...env].map(([key, value]) => `${key}=${value}`);
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
}

function readPasswd(rootfs: string): PasswdEntry[] {
  try {
    return readFileSync(join(rootfs, 'etc', 'passwd'), 'utf8')
      .split('\n')
      .map((line) => line.split(':'))
      .filter((fields) => fields.length >= 4)
      .map((fields) => ({ name: fields[0]!, uid: Number(fields[2]), gid: Number(fields[3]) }));
  } catch {
    return [];
  }
}

function readGroups(rootfs: string): { name: string; gid: number; members: string[] }[] {
  try {
    return readFileSync(join(rootfs, 'etc', 'group'), 'utf8')
      .split('\n')
      .map((line) => line.split(':'))
      .filter((fields) => fields.length >= 3)
      .map((fields) => ({ name: fields[0]!, gid: Number(fields[2]), members: (fields[3] ?? '').split(',').filter(Boolean) }));
  } catch {
    return [];
  }
}

export interface ResolvedUser {
  uid: number;
  gid: number;
  additionalGids: number[];
}

/**
 * securityContext.runAsUser/runAsGroup win over the image's USER ("name", "uid", "uid:gid",
 * "name:group"). A name the image's /etc/passwd does not know is an error, as in containerd.
 */
export function resolveUser(rootfs: string, image: ImageConfig, security: { runAsUser?: number; runAsGroup?: number; supplementalGroups?: number[] } = {}): ResolvedUser {
  const passwd = readPasswd(rootfs);
  const groups = readGroups(rootfs);
  const [userPart = '', groupPart] = (image.config?.User ?? '').split(':');
  let uid = 0;
  let gid: number | undefined;
  let userName: string | undefined;
  if (security.runAsUser !== undefined) {
    uid = security.runAsUser;
    const entry = passwd.find((p) => p.uid === uid);
    userName = entry?.name;
    gid = entry?.gid;
  } else if (userPart !== '') {
    if (/^\d+$/.test(userPart)) {
      uid = Number(userPart);
      const entry = passwd.find((p) => p.uid === uid);
      userName = entry?.name;
      gid = entry?.gid;
    } else {
      const entry = passwd.find((p) => p.name === userPart);
      if (!entry) throw new CreateContainerError(`unable to find user ${userPart}: no matching entries in passwd file`);
      uid = entry.uid;
      gid = entry.gid;
      userName = entry.name;
    }
  } else {
    const entry = passwd.find((p) => p.uid === 0);
    userName = entry?.name;
    gid = entry?.gid;
  }
  if (security.runAsGroup !== undefined) gid = security.runAsGroup;
  else if (groupPart !== undefined && groupPart !== '' && security.runAsUser === undefined) {
    if (/^\d+$/.test(groupPart)) gid = Number(groupPart);
    else {
      const group = groups.find((g) => g.name === groupPart);
      if (!group) throw new CreateContainerError(`unable to find group ${groupPart}: no matching entries in group file`);
      gid = group.gid;
    }
  }
  const additional = new Set<number>(security.supplementalGroups ?? []);
  if (userName) for (const group of groups) if (group.members.includes(userName)) additional.add(group.gid);
  return { uid, gid: gid ?? 0, additionalGids: [...additional].filter((g) => g !== (gid ?? 0)) };
}
