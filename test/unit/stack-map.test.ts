/**
 * The compiled start's stack frames name the TypeScript source (src/ops/stack-map.ts, installed by src/main.ts in
 * dist/), without node's --enable-source-maps; frames outside the compiled tree are left as they are.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root, stdio: 'ignore' });
});

/** The stack of a configuration error thrown inside dist/src/config.js, in a plain node process. */
function stackOfCompiledThrow(install: boolean): string {
  const script = `
    import { mapStacksUnder } from ${JSON.stringify(path.join(root, 'dist/src/ops/stack-map.js'))};
    if (${install}) mapStacksUnder(${JSON.stringify(path.join(root, 'dist'))});
    const { loadConfig } = await import(${JSON.stringify(path.join(root, 'dist/src/config.js'))});
    try { loadConfig({ DATABASE_URL: 'mysql://x' }); } catch (e) { process.stdout.write(e.stack); }`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
}

describe('stack frames of the compiled start', () => {
  it("name the TypeScript file and line that threw, the error's own text first", () => {
    const stack = stackOfCompiledThrow(true);
    expect(stack.split('\n')[0]).toMatch(/^Error: 配置有误/);
    const frame = /at loadConfig \((.*):(\d+):\d+\)/.exec(stack);
    expect(frame?.[1]).toBe(path.join(root, 'src/config.ts'));
    expect(fs.readFileSync(path.join(root, 'src/config.ts'), 'utf8').split('\n')[Number(frame![2]) - 1]).toContain('throw new ConfigError');
    expect(stack).not.toContain('dist/src/config.js');
  });

  it('without it they name the compiled file', () => {
    expect(stackOfCompiledThrow(false)).toContain(path.join(root, 'dist/src/config.js'));
  });
});
