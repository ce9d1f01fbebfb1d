// A minimal CNI client (libcni's job): runs the plugins of a network configuration list in
// order for ADD and in reverse for DEL, passing each the previous result, with the environment
// the CNI specification defines. The plugins are Debian's containernetworking-plugins.
import { runCommand, type CommandError } from '../exec/run-command.js';
import { existsSync } from 'node:fs';

export const defaultCniBinDirs: readonly string[] = ['/usr/lib/cni', '/opt/cni/bin'];
/** How long one plugin may run. */
export const cniPluginTimeoutMs = 60_000;

export interface CniNetworkList {
  cniVersion: string;
  name: string;
  plugins: Record<string, unknown>[];
}

export interface CniResult {
  cniVersion?: string;
  interfaces?: { name: string; mac?: string; sandbox?: string }[];
  ips?: { address: string; gateway?: string; interface?: number }[];
  routes?: { dst: string; gw?: string }[];
  dns?: Record<string, unknown>;
}

export interface CniRuntimeConf {
  containerId: string;
  netnsPath: string;
  ifName: string;
  /** Capability arguments (portMappings for portmap). */
  capabilityArgs?: Record<string, unknown>;
}

export class CniError extends Error {}

function findPlugin(type: string, dirs: readonly string[]): string {
  if (!/^[a-zA-Z0-9_-]+$/.test(type)) throw new CniError(`invalid CNI plugin type "${type}"`);
  for (const dir of dirs) if (existsSync(`${dir}/${type}`)) return `${dir}/${type}`;
  throw new CniError(`failed to find plugin "${type}" in path [${dirs.join(' ')}]`);
}

function invoke(binary: string, command: 'ADD' | 'DEL' | 'CHECK', conf: CniRuntimeConf, dirs: readonly string[], config: Record<string, unknown>): Promise<CniResult> {
  const env = {
    CNI_COMMAND: command,
    CNI_CONTAINERID: conf.containerId,
    CNI_NETNS: conf.netnsPath,
    CNI_IFNAME: conf.ifName,
    CNI_PATH: dirs.join(':'),
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
  };
  return runCommand(binary, [], { env, timeoutMs: cniPluginTimeoutMs, input: JSON.stringify(config) }).then(
    ({ stdout }) => {
      try {
        return stdout.trim() ? (JSON.parse(stdout) as CniResult) : {};
      } catch {
        throw new CniError(`plugin type="${String(config.type)}" returned invalid JSON`);
      }
    },
    (error: CommandError) => {
      let message = error.message;
      try {
        const parsed = JSON.parse(error.stdout ?? '') as { msg?: string; details?: string };
        if (parsed.msg) message = parsed.details ? `${parsed.msg}: ${parsed.details}` : parsed.msg;
      } catch {
        // Not a CNI error document: keep the process error.
      }
      throw new CniError(`plugin type="${String(config.type)}" failed (${command.toLowerCase()}): ${message}`);
    },
  );
}

function pluginConfig(list: CniNetworkList, plugin: Record<string, unknown>, conf: CniRuntimeConf, prevResult: CniResult | undefined): Record<string, unknown> {
  const config: Record<string, unknown> = { ...plugin, cniVersion: list.cniVersion, name: list.name };
  const capabilities = plugin.capabilities as Record<string, boolean> | undefined;
  if (capabilities && conf.capabilityArgs) {
    const runtimeConfig: Record<string, unknown> = {};
    for (const [key, enabled] of Object.entries(capabilities)) if (enabled && conf.capabilityArgs[key] !== undefined) runtimeConfig[key] = conf.capabilityArgs[key];
    if (Object.keys(runtimeConfig).length > 0) config.runtimeConfig = runtimeConfig;
  }
  if (prevResult) config.prevResult = prevResult;
  return config;
}

/**
 * The plugins a sandbox needs: portmap only when it maps host ports. Without mappings its ADD
 * does nothing and its DEL only looks for iptables chains that are not there, yet each costs
 * iptables runs under the xtables lock; skipping it keeps pod start-up and teardown off that lock.
 */
function neededPlugins(list: CniNetworkList, conf: CniRuntimeConf): Record<string, unknown>[] {
  const mappings = conf.capabilityArgs?.['portMappings'];
  const mapsPorts = Array.isArray(mappings) && mappings.length > 0;
  return list.plugins.filter((plugin) => plugin.type !== 'portmap' || mapsPorts);
}

export async function addNetworkList(list: CniNetworkList, conf: CniRuntimeConf, dirs: readonly string[] = defaultCniBinDirs): Promise<CniResult> {
  let result: CniResult | undefined;
  for (const plugin of neededPlugins(list, conf)) {
    result = await invoke(findPlugin(String(plugin.type), dirs), 'ADD', conf, dirs, pluginConfig(list, plugin, conf, result));
  }
  return result ?? {};
}

/** DEL in reverse order; every plugin is tried even if one fails, and the first error is thrown. */
export async function deleteNetworkList(list: CniNetworkList, conf: CniRuntimeConf, dirs: readonly string[] = defaultCniBinDirs): Promise<void> {
  let first: Error | undefined;
  for (const plugin of neededPlugins(list, conf).reverse()) {
    try {
      await invoke(findPlugin(String(plugin.type), dirs), 'DEL', conf, dirs, pluginConfig(list, plugin, conf, undefined));
    } catch (error) {
      first ??= error as Error;
    }
  }
  if (first) throw first;
}

/**
 * k8ts's default pod network: a bridge with host-local addresses from the node's pod CIDR and
 * hostPorts. NAT out is not the bridge plugin's (ipMasq costs iptables runs per pod): the runtime
 * adds one rule per node, see masquerade.ts.
 */
export function defaultNetworkList(options: { bridge: string; podCidr: string; ipamDataDir: string }): CniNetworkList {
  return {
    cniVersion: '1.0.0',
    name: 'k8ts',
    plugins: [
      {
        type: 'bridge',
        bridge: options.bridge,
        isGateway: true,
        ipMasq: false,
        hairpinMode: true,
        ipam: { type: 'host-local', ranges: [[{ subnet: options.podCidr }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: options.ipamDataDir },
      },
      { type: 'portmap', capabilities: { portMappings: true }, snat: true },
    ],
  };
}
