import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isIgnored, parseDockerignore } from './dockerignore.js';

test('.dockerignore excludes by glob, by directory and with ** , and ! re-includes', () => {
  const patterns = parseDockerignore('# comment\nnode_modules\n*.log\n**/*.tmp\nsecrets/\n!keep.log\n');
  assert.equal(isIgnored(patterns, 'node_modules/x/index.js'), true);
  assert.equal(isIgnored(patterns, 'debug.log'), true);
  assert.equal(isIgnored(patterns, 'keep.log'), false);
  assert.equal(isIgnored(patterns, 'a/b/c.tmp'), true);
  assert.equal(isIgnored(patterns, 'secrets/key'), true);
  assert.equal(isIgnored(patterns, 'src/main.ts'), false);
  assert.equal(isIgnored(patterns, 'sub/debug.log'), false, '* does not cross directories');
});
