import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePorts } from '../handlers/port-forward.js';
import { parseStreamOptions } from './stream-options.js';

test('stream flags parse like Go booleans; a TTY folds stderr into stdout', () => {
  assert.deepEqual(parseStreamOptions(new URLSearchParams('command=ls&command=-l&stdout=true&stderr=1'), true), { stdin: false, stdout: true, stderr: true, tty: false, command: ['ls', '-l'] });
  assert.equal(parseStreamOptions(new URLSearchParams('command=sh&stdin=1&stdout=1&stderr=1&tty=true'), true).stderr, false);
  assert.throws(() => parseStreamOptions(new URLSearchParams('command=ls'), true), /you must specify at least 1 of stdin, stdout, stderr/);
  assert.throws(() => parseStreamOptions(new URLSearchParams('stdout=1'), true), /you must specify a command/);
  assert.deepEqual(parseStreamOptions(new URLSearchParams('stdout=1'), false).command, []);
});

test('port-forward ports come as a list or repeated, each 1-65535', () => {
  assert.deepEqual(parsePorts(new URLSearchParams('ports=80,443&ports=8080')), [80, 443, 8080]);
  assert.throws(() => parsePorts(new URLSearchParams('')), /"port" is required/);
  assert.throws(() => parsePorts(new URLSearchParams('ports=0')), /unable to parse "0" as a port/);
});
