import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, type LoadedEnvironment } from '../../../apps/config/index.js';
import { loadEnvironments } from '../../../apps/load.js';
import { estimateCost } from '../estimate.js';
import { COST_DOC_COMMAND, renderCostDocument, renderJson, renderMarkdownTable } from '../render.js';
import { selectEnvironments } from '../select.js';

describe('docs/cost.md', () => {
  it('equals a fresh render from the environment config (regenerate with the command in its header)', async () => {
    const fresh = renderCostDocument((await loadEnvironments()).map((e) => estimateCost(e.config)));
    const committed = readFileSync(join(REPO_ROOT, 'docs', 'cost.md'), 'utf8');
    expect(committed, `docs/cost.md is stale: run ${COST_DOC_COMMAND}`).toBe(fresh);
  });
});

describe('rendering', () => {
  it('prints a Markdown row per line item and the totals, and JSON that parses back', async () => {
    const [production] = selectEnvironments(await loadEnvironments(), ['production'], false);
    const estimate = estimateCost(production!.config);
    const table = renderMarkdownTable(estimate);
    expect(table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| line item'))).toHaveLength(estimate.lines.length + 1);
    expect(table).toContain(`**${estimate.totalMaxUsd.toLocaleString('en-US', { minimumFractionDigits: 2 })}**`);
    expect(JSON.parse(renderJson([estimate]))).toEqual([estimate]);
  });
});

describe('selectEnvironments', () => {
  const loaded = [{ name: 'production' }, { name: 'staging' }] as LoadedEnvironment[];
  it('gives a clear error for an unknown environment', () => {
    expect(() => selectEnvironments(loaded, ['prod'], false)).toThrow(
      `unknown environment "prod": no apps/environments/prod.ts; known: ${loaded.map((e) => e.name).join(', ')}`,
    );
  });
  it('asks for a name when none is given', () => {
    expect(() => selectEnvironments(loaded, [], false)).toThrow('name an environment with --env NAME, or use --all');
  });
  it('returns all with --all, the named ones otherwise', () => {
    expect(selectEnvironments(loaded, [], true).map((e) => e.name)).toEqual(loaded.map((e) => e.name));
    expect(selectEnvironments(loaded, ['staging'], false).map((e) => e.name)).toEqual(['staging']);
  });
});
