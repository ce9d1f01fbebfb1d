import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { ensurePodMasquerade, masqueradeRuleset, removePodMasquerade } from './masquerade.js';

test('the ruleset replaces the table atomically and masquerades only traffic leaving the pod CIDR', () => {
  const ruleset = masqueradeRuleset('k8tsabc123', '10.244.3.0/24');
  assert.match(ruleset, /^add table ip k8tsabc123\ndelete table ip k8tsabc123\ntable ip k8tsabc123 \{/);
  assert.match(ruleset, /type nat hook postrouting priority srcnat; policy accept;/);
  assert.match(ruleset, /ip saddr 10\.244\.3\.0\/24 ip daddr != 10\.244\.3\.0\/24 ip daddr != 224\.0\.0\.0\/4 masquerade/);
});

test('names and CIDRs that could inject nftables syntax are refused', () => {
  assert.throws(() => masqueradeRuleset('x; flush ruleset', '10.0.0.0/24'), /invalid nftables table name/);
  assert.throws(() => masqueradeRuleset('k8ts0', '10.0.0.0/24 accept'), /invalid IPv4 pod CIDR/);
});

const hasNft = (() => {
  try {
    execFileSync('nft', ['list', 'tables'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

test('the table is installed, replaced on a CIDR change, and removed', { skip: (!hasNft || process.getuid?.() !== 0) && 'needs root and nft' }, async () => {
  const table = `k8tsmasq${process.pid % 100000}`;
  try {
    await ensurePodMasquerade(table, '10.201.1.0/24');
    await ensurePodMasquerade(table, '10.201.2.0/24');
    const listed = execFileSync('nft', ['list', 'table', 'ip', table], { encoding: 'utf8' });
    assert.match(listed, /ip saddr 10\.201\.2\.0\/24/);
    assert.doesNotMatch(listed, /10\.201\.1\.0/);
  } finally {
    await removePodMasquerade(table);
  }
  assert.doesNotMatch(execFileSync('nft', ['list', 'tables'], { encoding: 'utf8' }), new RegExp(`\\b${table}\\b`));
});
