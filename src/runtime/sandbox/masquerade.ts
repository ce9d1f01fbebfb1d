// NAT for traffic leaving the pod network, once per node instead of once per pod. The CNI bridge
// plugin's ipMasq adds an iptables chain and rules for every pod and removes them again (about
// 30 ms per ADD and 45 ms per DEL here, all serialised on the xtables lock), so k8ts turns it off
// and keeps one nftables table per pod network with the rule it amounts to: traffic from the pod
// CIDR to anywhere outside it (and not multicast) is masqueraded, as flannel and k3s do per node.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** nftables table names are identifiers; ours follow the bridge's name. */
function checkTableName(table: string): void {
  if (!/^[a-zA-Z][a-zA-Z0-9_-]{0,31}$/.test(table)) throw new Error(`invalid nftables table name "${table}"`);
}

function checkCidr(cidr: string): void {
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr)) throw new Error(`invalid IPv4 pod CIDR "${cidr}"`);
}

export function masqueradeRuleset(table: string, podCidr: string): string {
  checkTableName(table);
  checkCidr(podCidr);
  // "add" then "delete" then the definition, in one transaction: the table is replaced atomically
  // whether or not it existed, so a changed pod CIDR never leaves the old rule behind.
  return [
    `add table ip ${table}`,
    `delete table ip ${table}`,
    `table ip ${table} {`,
    '  chain postrouting {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    `    ip saddr ${podCidr} ip daddr != ${podCidr} ip daddr != 224.0.0.0/4 masquerade`,
    '  }',
    '}',
    '',
  ].join('\n');
}

export async function ensurePodMasquerade(table: string, podCidr: string): Promise<void> {
  const ruleset = masqueradeRuleset(table, podCidr);
  await new Promise<void>((resolve, reject) => {
    const child = execFile('nft', ['-f', '-'], (error, _stdout, stderr) => (error ? reject(new Error(`nft: ${stderr.trim() || error.message}`)) : resolve()));
    child.stdin!.end(ruleset);
  });
}

/** Removes the table; absent is fine. */
export async function removePodMasquerade(table: string): Promise<void> {
  checkTableName(table);
  await run('nft', ['delete', 'table', 'ip', table]).catch(() => undefined);
}
