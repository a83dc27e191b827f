/**
 * Renders an environment diff for people: plain text for a terminal, Markdown for a PR comment.
 * Danger flags and a summary come first; past `maxChars` the detail is cut and summarized, so a
 * huge diff (a version bump touching every object) still fits in one comment.
 */
import type { DangerFlag } from './danger.js';
import type { FieldChange, ObjectChange } from './semantic-diff.js';

export interface EnvironmentDiff {
  readonly environment: string;
  readonly changes: readonly ObjectChange[];
  readonly dangers: readonly DangerFlag[];
}

/** GitHub refuses comments above 65,536 characters; keep room for the header. */
export const DEFAULT_MAX_CHARS = 60_000;

function show(value: unknown): string {
  if (value === undefined) return '∅';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function isImageChange(f: FieldChange): boolean {
  return /(containers|initContainers)\[[^\]]+\]\.image$/.test(f.path);
}

export function imageChanges(diffs: readonly EnvironmentDiff[]): string[] {
  return diffs.flatMap((d) =>
    d.changes.flatMap((c) =>
      c.fields.filter(isImageChange).map((f) => `${d.environment}: ${c.id} ${f.path.replace(/^spec\.template\.spec\./, '')}: ${show(f.before)} -> ${show(f.after)}`),
    ),
  );
}

function counts(d: EnvironmentDiff): string {
  const n = (k: ObjectChange['change']) => d.changes.filter((c) => c.change === k).length;
  return `${n('added')} added, ${n('changed')} changed, ${n('removed')} removed`;
}

export function renderMarkdown(diffs: readonly EnvironmentDiff[], maxChars = DEFAULT_MAX_CHARS): string {
  const dangers = diffs.flatMap((d) => d.dangers.map((f) => `- **${d.environment}** \`${f.id}\`: ${f.reason}${f.instead ? `. _Instead:_ ${f.instead}` : ''}`));
  const images = imageChanges(diffs);
  const head: string[] = ['## Manifest diff', ''];
  if (diffs.every((d) => d.changes.length === 0)) return [...head, 'No changes to any environment.'].join('\n');
  if (dangers.length) head.push(`### :warning: ${dangers.length} danger flag(s)`, '', ...dangers, '');
  head.push('| environment | changes |', '|---|---|', ...diffs.map((d) => `| ${d.environment} | ${counts(d)} |`), '');
  if (images.length) head.push('### Image changes', '', ...images.map((i) => `- ${i}`), '');

  const body: string[] = [];
  for (const d of diffs) {
    if (d.changes.length === 0) continue;
    body.push(`### ${d.environment}`, '');
    for (const c of d.changes) {
      if (c.change !== 'changed') {
        body.push(`- **${c.change}** \`${c.id}\``);
        continue;
      }
      body.push(`<details><summary><b>changed</b> <code>${c.id}</code> (${c.fields.length} field(s))</summary>`, '');
      body.push('| field | before | after |', '|---|---|---|');
      for (const f of c.fields) body.push(`| \`${f.path}\` | \`${show(f.before).replaceAll('|', '\\|')}\` | \`${show(f.after).replaceAll('|', '\\|')}\` |`);
      body.push('', '</details>');
    }
    body.push('');
  }
  const full = [...head, ...body].join('\n');
  if (full.length <= maxChars) return full;
  const cut: string[] = [...head, `_The field-level detail (${full.length} characters) exceeds the ${maxChars}-character limit; changed objects only:_`, ''];
  for (const d of diffs) for (const c of d.changes) cut.push(`- ${d.environment}: **${c.change}** \`${c.id}\`${c.fields.length ? ` (${c.fields.length} fields)` : ''}`);
  const text = cut.join('\n');
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 80)}\n\n_...truncated; run \`npm run diff\` locally for everything._`;
}

export function renderText(diffs: readonly EnvironmentDiff[]): string {
  const lines: string[] = [];
  for (const d of diffs) for (const f of d.dangers) lines.push(`DANGER ${d.environment} ${f.id}: ${f.reason}${f.instead ? `. Instead: ${f.instead}` : ''}`);
  for (const i of imageChanges(diffs)) lines.push(`IMAGE  ${i}`);
  for (const d of diffs) {
    lines.push(`== ${d.environment}: ${counts(d)}`);
    for (const c of d.changes) {
      lines.push(`${c.change === 'added' ? '+' : c.change === 'removed' ? '-' : '~'} ${c.id}`);
      for (const f of c.fields) lines.push(`    ${f.path}: ${show(f.before)} -> ${show(f.after)}`);
    }
  }
  return lines.join('\n');
}
