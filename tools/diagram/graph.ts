/**
 * The architecture graph of one environment: nodes, edges and nested groups, independent of any
 * drawing syntax (mermaid.ts draws it). Built by model.ts from the synthesized objects.
 */

export type NodeShape = 'box' | 'database' | 'rounded' | 'circle';
export type EdgeStyle = 'solid' | 'dotted' | 'thick';

export interface DiagramNode {
  readonly id: string;
  /** One entry per line of the label. */
  readonly lines: readonly string[];
  readonly shape: NodeShape;
  /** Id of the group the node is drawn in; undefined = top level. */
  readonly group?: string;
}

export interface DiagramEdge {
  /** A node id or a group id (Mermaid links subgraphs too). */
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  readonly style: EdgeStyle;
}

export interface DiagramGroup {
  readonly id: string;
  readonly title: string;
  readonly parent?: string;
}

export interface Diagram {
  readonly groups: DiagramGroup[];
  readonly nodes: DiagramNode[];
  readonly edges: DiagramEdge[];
}

/** A Mermaid-safe id: letters, digits and underscores only. */
export function nodeId(...parts: string[]): string {
  return parts.join('_').replace(/[^A-Za-z0-9]+/g, '_');
}

/** Collects a diagram, refusing duplicate ids and edges to unknown ids (a wiring bug). */
export class DiagramBuilder {
  private readonly groups = new Map<string, DiagramGroup>();
  private readonly nodes = new Map<string, DiagramNode>();
  private readonly edges: DiagramEdge[] = [];
  private readonly edgeKeys = new Set<string>();

  group(group: DiagramGroup): string {
    if (this.groups.has(group.id) || this.nodes.has(group.id)) throw new Error(`diagram: duplicate id ${group.id}`);
    this.groups.set(group.id, group);
    return group.id;
  }

  node(node: DiagramNode): string {
    if (this.nodes.has(node.id) || this.groups.has(node.id)) throw new Error(`diagram: duplicate id ${node.id}`);
    this.nodes.set(node.id, node);
    return node.id;
  }

  hasNode(id: string): boolean {
    return this.nodes.has(id);
  }

  edge(edge: DiagramEdge): void {
    const key = `${edge.from}->${edge.to}:${edge.label ?? ''}`;
    if (this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    this.edges.push(edge);
  }

  build(): Diagram {
    const known = (id: string) => this.nodes.has(id) || this.groups.has(id);
    for (const e of this.edges) {
      if (!known(e.from) || !known(e.to)) throw new Error(`diagram: edge ${e.from} -> ${e.to} names an unknown node`);
    }
    for (const g of this.groups.values()) {
      if (g.parent && !this.groups.has(g.parent)) throw new Error(`diagram: group ${g.id} has unknown parent ${g.parent}`);
    }
    return { groups: [...this.groups.values()], nodes: [...this.nodes.values()], edges: [...this.edges] };
  }
}
