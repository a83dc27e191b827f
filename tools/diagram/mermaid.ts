/** Draws a Diagram as a Mermaid flowchart (GitHub renders Mermaid code blocks in Markdown). */
import type { Diagram, DiagramEdge, DiagramNode, NodeShape } from './graph.js';

/** Mermaid label text: quotes and angle brackets escaped, lines joined with <br/>. */
function label(lines: readonly string[]): string {
  const escape = (s: string) => s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
  return `"${lines.map(escape).join('<br/>')}"`;
}

const SHAPES: Record<NodeShape, (text: string) => string> = {
  box: (t) => `[${t}]`,
  rounded: (t) => `(${t})`,
  database: (t) => `[(${t})]`,
  circle: (t) => `((${t}))`,
};

function drawNode(node: DiagramNode, indent: string): string {
  return `${indent}${node.id}${SHAPES[node.shape](label(node.lines))}`;
}

function drawEdge(edge: DiagramEdge): string {
  const arrow = edge.style === 'dotted' ? '-.->' : edge.style === 'thick' ? '==>' : '-->';
  return `  ${edge.from} ${arrow}${edge.label ? `|${label([edge.label])}|` : ''} ${edge.to}`;
}

export function renderMermaid(diagram: Diagram, direction: 'LR' | 'TB' = 'LR'): string {
  const out = [`flowchart ${direction}`];
  const drawGroup = (parent: string | undefined, depth: number) => {
    const indent = '  '.repeat(depth);
    for (const node of diagram.nodes.filter((n) => n.group === parent)) out.push(drawNode(node, indent));
    for (const group of diagram.groups.filter((g) => g.parent === parent)) {
      out.push(`${indent}subgraph ${group.id}[${label([group.title])}]`);
      drawGroup(group.id, depth + 1);
      out.push(`${indent}end`);
    }
  };
  drawGroup(undefined, 1);
  out.push(...diagram.edges.map(drawEdge));
  return `${out.join('\n')}\n`;
}
