import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDockerfile } from './dockerfile.js';
import { expandWords, keyValuePairs } from './words.js';

test('comments, continuations, flags and both forms parse as Docker does', () => {
  const instructions = parseDockerfile([
    '# syntax=docker/dockerfile:1',
    'ARG BASE=scratch',
    'FROM ${BASE}',
    '# a comment',
    'COPY --chown=1000:1000 a.txt \\',
    '  # a comment inside a continuation',
    '  /app/',
    'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
    'run echo one && \\',
    '    echo two',
    'CMD ["sh"]',
  ].join('\n'));
  assert.deepEqual(instructions.map((i) => i.keyword), ['ARG', 'FROM', 'COPY', 'RUN', 'RUN', 'CMD']);
  assert.deepEqual(instructions[2]!.flags, { chown: '1000:1000' });
  assert.equal(instructions[2]!.text, 'a.txt   /app/');
  assert.deepEqual(instructions[3]!.json, ['/bin/busybox', '--install', '-s', '/bin']);
  assert.equal(instructions[4]!.text, 'echo one &&     echo two');
  assert.equal(instructions[4]!.line, 9);
});

test('a Dockerfile without FROM, or with an instruction before it, is refused', () => {
  assert.throws(() => parseDockerfile('RUN true\n'), /no FROM instruction/);
  assert.throws(() => parseDockerfile('ENV A=1\nFROM scratch\n'), /ENV before FROM/);
  assert.throws(() => parseDockerfile('FROM scratch\nFROB x\n'), /line 2: unknown instruction: FROB/);
});

test('variables expand with defaults and alternatives; single quotes keep them literal', () => {
  const vars: Record<string, string> = { NAME: 'k8ts', EMPTY: '' };
  const lookup = (name: string) => vars[name];
  assert.deepEqual(expandWords('$NAME ${NAME}-x ${MISSING:-fallback} ${EMPTY:-e} ${NAME:+yes} \'$NAME\' "a $NAME"', lookup), ['k8ts', 'k8ts-x', 'fallback', 'e', 'yes', '$NAME', 'a k8ts']);
  assert.deepEqual(keyValuePairs('A=1 B="two words" C=${NAME}', lookup, 'ENV'), [['A', '1'], ['B', 'two words'], ['C', 'k8ts']]);
  assert.deepEqual(keyValuePairs('LEGACY value with spaces', lookup, 'ENV'), [['LEGACY', 'value with spaces']]);
});
